import type {
  CreateParams,
  CreateResult,
  DeleteParams,
  DeleteResult,
  GetListParams,
  GetListResult,
  GetManyParams,
  GetManyReferenceParams,
  GetManyReferenceResult,
  GetManyResult,
  GetOneParams,
  GetOneResult,
  RaRecord,
  UpdateParams,
  UpdateResult,
} from 'react-admin';
import { CreateWebhookKey, RevokeWebhookKey, WebhookKeys } from '../apiKeys/operations';
import { ContractById, ContractPage, CreateContract } from '../contracts/operations';
import { customFieldInputs, type FormValues, searchOf, sortOf, splitList } from '../customers/customerForm';
import {
  AddCustomerPhone,
  CreateCustomer,
  Customer,
  Customers,
  DeleteCustomer,
  UpdateCustomer,
} from '../customers/operations';
import { CustomFieldDefinitions, DefineCustomField, RemoveCustomField } from '../customFields/operations';
import { request } from '../graphql/client';
import type {
  ContractSort,
  ContractStatus,
  CustomFieldType,
  InvoiceKind,
  InvoiceSort,
  InvoiceStatus,
  NewContractInput,
  PlanVersionInput,
  Role,
} from '../graphql/types';
import { CancelInvitation, Invitations } from '../invitations/operations';
import { InvoiceById, InvoicePage } from '../invoices/operations';
import { AddLine, Lines, RelabelLine, RemoveLine } from '../lines/operations';
import {
  AddEmployeeNumber,
  AddNuisanceNumber,
  EmployeeNumbers,
  NuisanceNumbers,
  RemoveEmployeeNumber,
  RemoveNuisanceNumber,
} from '../numbers/operations';
import { CreatePlan, Plans } from '../plans/operations';
import { DeregisterSeat, RegisterSeat, Seats } from '../seats/operations';
import { CreateTenant, TenantById, TenantPage } from '../tenants/operations';
import { InviteUser, Users } from '../users/operations';
import { listInMemory } from './listInMemory';

export interface ResourceOperations {
  getList?: (params: GetListParams) => Promise<GetListResult>;
  getOne?: (params: GetOneParams) => Promise<GetOneResult>;
  getMany?: (params: GetManyParams) => Promise<GetManyResult>;
  getManyReference?: (params: GetManyReferenceParams) => Promise<GetManyReferenceResult>;
  create?: (params: CreateParams) => Promise<CreateResult>;
  update?: (params: UpdateParams) => Promise<UpdateResult>;
  delete?: (params: DeleteParams) => Promise<DeleteResult>;
}

const plans = async () => (await request(Plans, {})).plans;
const lines = async () => (await request(Lines, {})).me.tenant.lines;
const users = async () => (await request(Users, {})).users;
const invitations = async () => (await request(Invitations, {})).invitations;
const webhookKeys = async () => (await request(WebhookKeys, {})).webhookKeys.map((k) => ({ ...k, id: k.keyId }));
const customFieldTypes = async () =>
  Object.fromEntries(
    (await request(CustomFieldDefinitions, {})).customFieldDefinitions.map((d) => [d.key, d.type]),
  ) as Record<string, CustomFieldType>;
const orNull = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
const byId = <T extends { id: unknown }>(rows: T[], id: unknown) => {
  const row = rows.find((r) => String(r.id) === String(id));
  if (!row) throw new Error('ra.notification.item_doesnt_exist');
  return { data: row };
};

/** The customer editor's values as the API's input (the fields both create and update take). */
async function customerInput(v: FormValues) {
  const address = v.address ?? {};
  return {
    name: v.name.trim(),
    nameKana: orNull(v.nameKana),
    company: orNull(v.company),
    department: orNull(v.department),
    emails: splitList(v.emailsText),
    tags: splitList(v.tagsText),
    notes: orNull(v.notes),
    address: Object.values(address).some((x) => orNull(x))
      ? {
          postalCode: orNull(address.postalCode),
          prefecture: orNull(address.prefecture),
          city: orNull(address.city),
          street: orNull(address.street),
          building: orNull(address.building),
        }
      : null,
    customFields: v.cf ? customFieldInputs(v.cf, await customFieldTypes()) : [],
  };
}
const phoneInputs = (v: FormValues) =>
  (v.phones ?? [])
    .filter((p) => p?.number?.trim())
    .map((p) => ({ number: p.number.trim(), type: p.type ?? 'OTHER', label: orNull(p.label) }));
/** react-admin's page as the API's offset/limit (at most 200 a page, as the services allow). */
const pageOf = (pagination: GetListParams['pagination']) => ({
  page: pagination?.page ?? 1,
  perPage: Math.min(Math.max(pagination?.perPage ?? 25, 1), 200),
});
const contractSorts: Record<string, ContractSort> = {
  serviceStartDate: 'SERVICE_START_DATE',
  status: 'STATUS',
  createdAt: 'CREATED_AT',
};
const invoiceSorts: Record<string, InvoiceSort> = {
  month: 'MONTH',
  number: 'NUMBER',
  totalYen: 'TOTAL',
  issuedAt: 'ISSUED_AT',
  status: 'STATUS',
};
const filterValue = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

async function contractPage({ filter, pagination, sort }: Pick<GetListParams, 'filter' | 'pagination' | 'sort'>) {
  const { page, perPage } = pageOf(pagination);
  const { contractPage } = await request(ContractPage, {
    filter: {
      tenantId: filterValue(filter?.tenantId),
      status: filterValue(filter?.status) as ContractStatus | null,
      planCode: filterValue(filter?.planCode),
    },
    offset: (page - 1) * perPage,
    limit: perPage,
    sort: contractSorts[sort?.field ?? ''] ?? 'SERVICE_START_DATE',
    descending: sort?.order !== 'ASC',
  });
  return { data: contractPage.items, total: contractPage.total };
}

async function invoicePage({ filter, pagination, sort }: Pick<GetListParams, 'filter' | 'pagination' | 'sort'>) {
  const { page, perPage } = pageOf(pagination);
  const { invoicePage } = await request(InvoicePage, {
    filter: {
      tenantId: filterValue(filter?.tenantId),
      month: filterValue(filter?.month),
      status: filterValue(filter?.status) as InvoiceStatus | null,
      kind: filterValue(filter?.kind) as InvoiceKind | null,
    },
    offset: (page - 1) * perPage,
    limit: perPage,
    sort: invoiceSorts[sort?.field ?? ''] ?? 'MONTH',
    descending: sort?.order !== 'ASC',
  });
  return { data: invoicePage.items, total: invoicePage.total, meta: { byStatus: invoicePage.byStatus } };
}

const removed = <T>(previousData: T | undefined, id: unknown) => ({ data: (previousData ?? { id }) as RaRecord });

/**
 * THE map from react-admin resource to gateway operation. A resource or method missing here has
 * no backend operation; the data provider answers UNSUPPORTED_OPERATION for it.
 */
export const resources: Record<string, ResourceOperations> = {
  plans: {
    getList: async (params) => listInMemory(await plans(), params),
    getOne: async ({ id }) => {
      const plan = (await plans()).find((p) => p.id === id);
      if (!plan) throw new Error('ra.notification.item_doesnt_exist');
      return { data: plan };
    },
    getMany: async ({ ids }) => ({ data: (await plans()).filter((p) => ids.includes(p.id)) }),
    create: async ({ data }) => {
      const { code, name, firstVersion } = data as { code: string; name: string; firstVersion: PlanVersionInput };
      return { data: (await request(CreatePlan, { code, name, firstVersion })).createPlan as RaRecord };
    },
  },
  // Contracts of every tenant (provider staff) or the own tenant's, by contract id, paged by billing.
  contracts: {
    getList: async (params) => contractPage(params),
    getManyReference: async ({ target, id, ...params }) =>
      contractPage({ ...params, filter: { ...params.filter, [target]: id } }),
    getOne: async ({ id }) => {
      const { contractById } = await request(ContractById, { id: String(id) });
      if (!contractById) throw new Error('ra.notification.item_doesnt_exist');
      return { data: contractById };
    },
    create: async ({ data }) => ({
      data: (await request(CreateContract, { input: data as NewContractInput })).createContract,
    }),
  },
  // Invoices and credit notes across tenants, paged by billing; `meta.byStatus` holds the totals of
  // the whole filtered set (not of the page) for the list's summary.
  invoices: {
    getList: async (params) => invoicePage(params),
    getManyReference: async ({ target, id, ...params }) =>
      invoicePage({ ...params, filter: { ...params.filter, [target]: id } }),
    getOne: async ({ id }) => ({ data: (await request(InvoiceById, { id: String(id) })).invoice }),
  },
  employeeNumbers: {
    getList: async (params) => listInMemory((await request(EmployeeNumbers, {})).employeeNumbers, params),
    create: async ({ data }) => {
      const { number, label } = data as { number: string; label?: string };
      return { data: (await request(AddEmployeeNumber, { number, label: label || null })).addEmployeeNumber };
    },
    delete: async ({ id, previousData }) => {
      await request(RemoveEmployeeNumber, { id: String(id) });
      return removed(previousData, id);
    },
  },
  nuisanceNumbers: {
    getList: async (params) => listInMemory((await request(NuisanceNumbers, {})).nuisanceNumbers, params),
    create: async ({ data }) => {
      const { number, reason } = data as { number: string; reason: string };
      return { data: (await request(AddNuisanceNumber, { number, reason })).addNuisanceNumber };
    },
    delete: async ({ id, previousData }) => {
      await request(RemoveNuisanceNumber, { id: String(id) });
      return removed(previousData, id);
    },
  },
  // Custom fields are removed by key; the record keeps its id for react-admin.
  customFields: {
    getList: async (params) => listInMemory((await request(CustomFieldDefinitions, {})).customFieldDefinitions, params),
    create: async ({ data }) => {
      const d = data as {
        key: string;
        label: string;
        type: CustomFieldType;
        options?: string;
        required?: boolean;
        position?: number;
      };
      const options = (d.options ?? '')
        .split(/[,、\n]/)
        .map((o) => o.trim())
        .filter(Boolean);
      const input = {
        key: d.key,
        label: d.label,
        type: d.type,
        options,
        required: !!d.required,
        position: d.position ?? null,
      };
      return { data: (await request(DefineCustomField, { input })).defineCustomField };
    },
    delete: async ({ id, previousData }) => {
      const key = (previousData as { key?: string } | undefined)?.key;
      if (!key) throw new Error('ra.notification.item_doesnt_exist');
      await request(RemoveCustomField, { key });
      return removed(previousData, id);
    },
  },
  users: {
    getList: async (params) => listInMemory(await users(), params),
    getMany: async ({ ids }) => ({ data: (await users()).filter((u) => ids.map(String).includes(u.id)) }),
    create: async ({ data }) => {
      const { email, name, roles } = data as { email: string; name: string; roles: Role[] };
      return { data: (await request(InviteUser, { email, name, roles })).inviteUser };
    },
  },
  // Open invitations of the own tenant; delete cancels one (its mailed link stops working). Resend is a row button.
  invitations: {
    getList: async (params) => listInMemory(await invitations(), params),
    delete: async ({ id, previousData }) => {
      await request(CancelInvitation, { id: String(id) });
      return removed(previousData, id);
    },
  },
  // Webhook (API) keys, by key id. The secret comes back from create only; delete revokes (the key stays listed).
  webhookKeys: {
    getList: async (params) => listInMemory(await webhookKeys(), params),
    getOne: async ({ id }) => byId(await webhookKeys(), id),
    create: async ({ data }) => {
      const { label } = data as { label?: string };
      const { createWebhookKey } = await request(CreateWebhookKey, { label: orNull(label) });
      return { data: { ...createWebhookKey.key, id: createWebhookKey.key.keyId, secret: createWebhookKey.secret } };
    },
    delete: async ({ id }) => {
      const { revokeWebhookKey } = await request(RevokeWebhookKey, { keyId: String(id) });
      return { data: { ...revokeWebhookKey, id: revokeWebhookKey.keyId } };
    },
  },
  // The tenant's phone lines (numbers calls ring on), with their labels.
  lines: {
    getList: async (params) => listInMemory(await lines(), params),
    getOne: async ({ id }) => byId(await lines(), id),
    create: async ({ data }) => {
      const { number, label } = data as { number: string; label?: string };
      return { data: (await request(AddLine, { number, label: orNull(label) })).addLine };
    },
    update: async ({ id, data }) => {
      const { label } = data as { label?: string };
      return { data: (await request(RelabelLine, { id: String(id), label: orNull(label) })).relabelLine };
    },
    delete: async ({ id, previousData }) => {
      await request(RemoveLine, { id: String(id) });
      return removed(previousData, id);
    },
  },
  // Registered PCs (seat licences); delete deregisters (the seat stays in the history).
  seats: {
    getList: async (params) => listInMemory((await request(Seats, { includeDeregistered: true })).seats, params),
    create: async ({ data }) => {
      const { deviceId, name, userId } = data as { deviceId: string; name: string; userId: string };
      return {
        data: (await request(RegisterSeat, { deviceId: deviceId.trim(), name: name.trim(), userId })).registerSeat,
      };
    },
    delete: async ({ id }) => ({ data: (await request(DeregisterSeat, { id: String(id) })).deregisterSeat }),
  },
  // Customers are searched and paged by the customers service (name, kana, company or any phone format).
  customers: {
    getList: async ({ filter, pagination, sort }) => {
      const perPage = Math.min(pagination?.perPage ?? 25, 100);
      const page = pagination?.page ?? 1;
      const { customers } = await request(Customers, {
        search: searchOf(filter),
        page: { offset: (page - 1) * perPage, limit: perPage },
        sort: sortOf(sort),
      });
      return { data: customers.items, total: customers.total };
    },
    getOne: async ({ id }) => {
      const { customer } = await request(Customer, { id: String(id) });
      if (!customer) throw new Error('ra.notification.item_doesnt_exist');
      return { data: customer };
    },
    getMany: async ({ ids }) => ({
      data: (await Promise.all(ids.map((id) => request(Customer, { id: String(id) })))).flatMap((r) =>
        r.customer ? [r.customer] : [],
      ),
    }),
    create: async ({ data }) => {
      const v = data as FormValues;
      const input = { ...(await customerInput(v)), externalId: orNull(v.externalId), phones: phoneInputs(v) };
      return { data: (await request(CreateCustomer, { input })).createCustomer };
    },
    update: async ({ id, data }) => {
      const v = data as FormValues;
      let { updateCustomer: customer } = await request(UpdateCustomer, {
        id: String(id),
        input: await customerInput(v),
      });
      for (const phone of phoneInputs(v)) {
        customer = (await request(AddCustomerPhone, { customerId: String(id), phone })).addPhoneNumber;
      }
      return { data: customer };
    },
    // Tenant admins: the customer, its numbers and purchases go; its interactions and popups stay.
    delete: async ({ id, previousData }) => {
      await request(DeleteCustomer, { id: String(id) });
      return { data: previousData ?? { id } };
    },
  },
  // Customer tenants with their current contract (back office, sales): searched by name (`q`) and
  // paged by licensing, so the list and the pickers work with thousands of tenants.
  tenants: {
    getList: async ({ filter, pagination, sort }) => {
      const { page, perPage } = pageOf(pagination);
      const { tenantPage } = await request(TenantPage, {
        search: orNull(typeof filter?.q === 'string' ? filter.q : null),
        offset: (page - 1) * perPage,
        limit: perPage,
        sort: sort?.field === 'createdAt' ? 'CREATED_AT' : 'NAME',
        descending: sort?.order === 'DESC',
      });
      return { data: tenantPage.items, total: tenantPage.total };
    },
    getOne: async ({ id }) => ({ data: (await request(TenantById, { id: String(id) })).tenant }),
    getMany: async ({ ids }) => ({
      data: await Promise.all(ids.map(async (id) => (await request(TenantById, { id: String(id) })).tenant)),
    }),
    // A new tenant and its first administrator's one-time invitation token (shown once, to pass on).
    create: async ({ data }) => {
      const d = data as { name: string; adminEmail: string; adminName: string; timezone?: string };
      const { createTenant } = await request(CreateTenant, {
        name: d.name.trim(),
        adminEmail: d.adminEmail.trim(),
        adminName: d.adminName.trim(),
        timezone: orNull(d.timezone),
      });
      return { data: { ...createTenant.tenant, invitation: createTenant.adminInvitation } };
    },
  },
};
