import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import { Box, ButtonBase, IconButton, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { daysOfMonth, formatDateJa, formatMonthJa, shiftMonth } from '../fields/months';
import { request } from '../graphql/client';
import { NationalHolidays } from './operations';

const weekdayShort = ['日', '月', '火', '水', '木', '金', '土'];

/**
 * A month of the business calendar: 祝日 with their names, closed weekdays greyed, the tenant's own
 * closures marked; a click on a day adds it to the closures or takes it off.
 */
export function ClosureCalendar({
  month,
  onMonth,
  closures,
  onToggle,
  closedWeekdays,
  holidaysClosed,
}: {
  month: string;
  onMonth: (month: string) => void;
  closures: readonly string[];
  onToggle: (date: string) => void;
  /** Weekdays without opening hours (0 = Sunday). */
  closedWeekdays: ReadonlySet<number>;
  holidaysClosed: boolean;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const year = Number(month.slice(0, 4));
  const [holidays, setHolidays] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    request(NationalHolidays, { year })
      .then((r) => live && setHolidays(new Map(r.nationalHolidays.map((h) => [h.date, h.name]))))
      .catch((err: Error) => notify(err.message, { type: 'error' }));
    return () => {
      live = false;
    };
  }, [year, notify]);

  const { days, firstWeekday } = daysOfMonth(month);
  const closed = new Set(closures);
  return (
    <Box sx={{ maxWidth: 560 }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <IconButton
          aria-label={translate('resources.calendar.previousMonth')}
          onClick={() => onMonth(shiftMonth(month, -1))}
        >
          <ChevronLeftIcon />
        </IconButton>
        <Typography variant="h6" component="h3" aria-live="polite">
          {formatMonthJa(month)}
        </Typography>
        <IconButton
          aria-label={translate('resources.calendar.nextMonth')}
          onClick={() => onMonth(shiftMonth(month, 1))}
        >
          <ChevronRightIcon />
        </IconButton>
      </Stack>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 0.5 }}>
        {weekdayShort.map((w, i) => (
          <Typography
            key={w}
            variant="caption"
            sx={{ textAlign: 'center', color: i === 0 ? 'error.main' : i === 6 ? 'primary.main' : 'text.secondary' }}
          >
            {w}
          </Typography>
        ))}
        {/* Blank cells before the 1st, keyed by the weekday they stand under. */}
        {weekdayShort.slice(0, firstWeekday).map((w) => (
          <Box key={`before-${w}`} />
        ))}
        {days.map((date, i) => {
          const weekday = (firstWeekday + i) % 7;
          const holiday = holidays.get(date);
          const own = closed.has(date);
          const closedDay = own || closedWeekdays.has(weekday) || (holidaysClosed && holiday !== undefined);
          const state = own
            ? translate('resources.calendar.ownClosure')
            : closedDay
              ? translate('resources.calendar.closedDay')
              : translate('resources.calendar.openDay');
          return (
            <ButtonBase
              key={date}
              onClick={() => onToggle(date)}
              aria-pressed={own}
              aria-label={`${formatDateJa(date)}${holiday ? ` ${holiday}` : ''}: ${state}`}
              sx={{
                display: 'flex',
                flexDirection: 'column',
                alignItems: 'flex-start',
                justifyContent: 'flex-start',
                minHeight: 56,
                p: 0.5,
                borderRadius: 1,
                border: 1,
                borderColor: own ? 'warning.main' : 'divider',
                bgcolor: own ? 'warning.light' : closedDay ? 'action.hover' : 'background.paper',
              }}
            >
              <Typography
                variant="body2"
                sx={{
                  fontWeight: own ? 'bold' : undefined,
                  color: holiday || weekday === 0 ? 'error.main' : undefined,
                }}
              >
                {Number(date.slice(8))}
              </Typography>
              {holiday && (
                <Typography variant="caption" sx={{ color: 'error.main', lineHeight: 1.1, textAlign: 'left' }}>
                  {holiday}
                </Typography>
              )}
              {own && (
                <Typography variant="caption" sx={{ lineHeight: 1.1 }}>
                  {translate('resources.calendar.ownClosureShort')}
                </Typography>
              )}
            </ButtonBase>
          );
        })}
      </Box>
    </Box>
  );
}
