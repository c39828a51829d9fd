import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  FormControlLabel,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { type FormEvent, useEffect, useState } from 'react';
import { Loading, Title, useNotify, useTranslate } from 'react-admin';
import { formatDateJa, monthIn } from '../fields/months';
import { request } from '../graphql/client';
import type { BusinessHoursInput } from '../graphql/types';
import { ClosureCalendar } from './ClosureCalendar';
import { BusinessCalendar, UpdateBusinessCalendar } from './operations';

interface Draft {
  timezone: string;
  nationalHolidays: boolean;
  /** YYYY-MM-DD, sorted. */
  closures: string[];
  hours: BusinessHoursInput[];
}

/** The tenant's business hours, holidays and own closed days (tenant admins). */
export function BusinessCalendarPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [shown, setShown] = useState<string | null>(null);

  useEffect(() => {
    request(BusinessCalendar, {})
      .then(({ businessCalendar: c }) =>
        setDraft({
          timezone: c.timezone,
          nationalHolidays: c.nationalHolidays,
          closures: [...c.closures].sort(),
          hours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => {
            const h = c.hours.find((x) => x.weekday === weekday);
            return { weekday, opensAt: h?.opensAt ?? null, closesAt: h?.closesAt ?? null };
          }),
        }),
      )
      .catch((err: Error) => notify(err.message, { type: 'error' }));
  }, [notify]);

  if (!draft) return <Loading />;
  const month = shown ?? monthIn(new Date(), draft.timezone);
  const toggleClosure = (date: string) =>
    setDraft({
      ...draft,
      closures: draft.closures.includes(date)
        ? draft.closures.filter((d) => d !== date)
        : [...draft.closures, date].sort(),
    });
  const closedWeekdays = new Set(draft.hours.filter((h) => !h.opensAt && !h.closesAt).map((h) => h.weekday));

  const setHours = (weekday: number, key: 'opensAt' | 'closesAt', value: string) =>
    setDraft({ ...draft, hours: draft.hours.map((h) => (h.weekday === weekday ? { ...h, [key]: value || null } : h)) });

  const save = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await request(UpdateBusinessCalendar, {
        input: {
          timezone: draft.timezone,
          nationalHolidays: draft.nationalHolidays,
          closures: draft.closures,
          hours: draft.hours,
        },
      });
      notify(translate('resources.calendar.saved'), { type: 'success' });
    } catch (err) {
      notify(err instanceof Error ? err.message : String(err), { type: 'error' });
    }
  };

  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('resources.calendar.name')} />
      <CardContent component="form" onSubmit={save}>
        <TextField
          label={translate('resources.calendar.fields.timezone')}
          value={draft.timezone}
          onChange={(e) => setDraft({ ...draft, timezone: e.target.value })}
          size="small"
          sx={{ mb: 2 }}
        />
        {draft.hours.map((h) => {
          const day = translate(`resources.calendar.weekdays.${h.weekday}`);
          return (
            <Stack key={h.weekday} direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center' }}>
              <Typography sx={{ width: 80 }}>{day}</Typography>
              <TextField
                type="time"
                size="small"
                label={`${day} ${translate('resources.calendar.fields.opensAt')}`}
                value={h.opensAt ?? ''}
                onChange={(e) => setHours(h.weekday, 'opensAt', e.target.value)}
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <TextField
                type="time"
                size="small"
                label={`${day} ${translate('resources.calendar.fields.closesAt')}`}
                value={h.closesAt ?? ''}
                onChange={(e) => setHours(h.weekday, 'closesAt', e.target.value)}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </Stack>
          );
        })}
        <FormControlLabel
          control={
            <Switch
              checked={draft.nationalHolidays}
              onChange={(e) => setDraft({ ...draft, nationalHolidays: e.target.checked })}
            />
          }
          label={translate('resources.calendar.fields.nationalHolidays')}
        />
        <Typography variant="subtitle1" component="h2" sx={{ mt: 2 }}>
          {translate('resources.calendar.fields.closures')}
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {translate('resources.calendar.closuresHelp')}
        </Typography>
        <ClosureCalendar
          month={month}
          onMonth={setShown}
          closures={draft.closures}
          onToggle={toggleClosure}
          closedWeekdays={closedWeekdays}
          holidaysClosed={draft.nationalHolidays}
        />
        <Stack
          direction="row"
          sx={{ flexWrap: 'wrap', gap: 1, my: 2 }}
          aria-label={translate('resources.calendar.fields.closures')}
        >
          {draft.closures.length === 0 && (
            <Typography color="text.secondary">{translate('resources.calendar.noClosures')}</Typography>
          )}
          {draft.closures.map((d) => (
            <Chip key={d} label={formatDateJa(d)} onDelete={() => toggleClosure(d)} />
          ))}
        </Stack>
        <Box>
          <Button type="submit" variant="contained">
            {translate('ra.action.save')}
          </Button>
        </Box>
      </CardContent>
    </Card>
  );
}
