import { operation } from '../graphql/operation';
import type {
  BusinessCalendarQuery,
  NationalHolidaysQuery,
  NationalHolidaysQueryVariables,
  UpdateBusinessCalendarMutation,
  UpdateBusinessCalendarMutationVariables,
} from '../graphql/types';

export const BusinessCalendar = operation<BusinessCalendarQuery>(/* GraphQL */ `
  query BusinessCalendar {
    businessCalendar {
      timezone
      nationalHolidays
      closures
      hours {
        weekday
        opensAt
        closesAt
      }
    }
  }
`);

export const UpdateBusinessCalendar = operation<
  UpdateBusinessCalendarMutation,
  UpdateBusinessCalendarMutationVariables
>(
  /* GraphQL */ `
    mutation UpdateBusinessCalendar($input: BusinessCalendarInput!) {
      updateBusinessCalendar(input: $input) {
        timezone
      }
    }
  `,
);

export const NationalHolidays = operation<NationalHolidaysQuery, NationalHolidaysQueryVariables>(/* GraphQL */ `
  query NationalHolidays($year: Int!) {
    nationalHolidays(year: $year) {
      date
      name
    }
  }
`);
