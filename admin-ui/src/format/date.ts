import { DEFAULT_TIME_ZONE } from '../../../libs/contracts/src/rules/time-zone';
import { currentSession } from '../auth/session';

// Dates are shown in the tenant's timezone, the one its rules run in.
const tz = () => currentSession()?.user.tenant.timezone ?? DEFAULT_TIME_ZONE;

const fmt = (locale: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'ja-JP', { timeZone: tz(), ...options });

/** 2026年11月29日(日) */
export const formatDate = (value: string | Date | null | undefined, locale = 'ja') =>
  value
    ? fmt(locale, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }).format(new Date(value))
    : '';

/** 2026/11/29 14:05 */
export const formatDateTime = (value: string | Date | null | undefined, locale = 'ja') =>
  value
    ? fmt(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(
        new Date(value),
      )
    : '';

/** 14:05:09 */
export const formatTime = (value: string | Date | null | undefined, locale = 'ja') =>
  value ? fmt(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(value)) : '';

/** 2026年11月 for a `YYYY-MM` month. */
export const formatMonth = (month: string, locale = 'ja') => {
  const [y, m] = month.split('-');
  return locale === 'en' ? month : `${y}年${Number(m)}月`;
};
