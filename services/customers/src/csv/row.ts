import type { CustomerInput } from '../customers/customers.service';
import type { ColumnTarget } from './columns';

/** One CSV row as customer input; empty cells are left out, so an import never blanks a field it does not carry. */
export function rowToCustomerInput(cells: readonly string[], columns: readonly (ColumnTarget | null)[]): CustomerInput {
  const input: CustomerInput = {};
  const address: NonNullable<CustomerInput['address']> = {};
  const split = (s: string) =>
    s
      .split(/[;、,]/)
      .map((x) => x.trim())
      .filter((x) => x !== '');
  columns.forEach((target, i) => {
    const value = (cells[i] ?? '').trim();
    if (!target || value === '') return;
    switch (target.field) {
      case 'phone':
        for (const number of value
          .split(/[;、]/)
          .map((x) => x.trim())
          .filter((x) => x !== '')) {
          input.phones = [...(input.phones ?? []), { number, type: target.type }];
        }
        return;
      case 'email':
        input.emails = [...(input.emails ?? []), ...split(value)];
        return;
      case 'tags':
        input.tags = [...(input.tags ?? []), ...split(value)];
        return;
      case 'customField':
        input.customFields = [...(input.customFields ?? []), { key: target.key, value }];
        return;
      case 'postalCode':
      case 'prefecture':
      case 'city':
      case 'street':
      case 'building':
        address[target.field] = value;
        input.address = address;
        return;
      default:
        input[target.field] = value;
    }
  });
  return input;
}
