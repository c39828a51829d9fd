import { Alert, Box, Button, Card, CardContent, TextField as MuiTextField, Stack, Typography } from '@mui/material';
import { useState } from 'react';
import {
  Create,
  Datagrid,
  DeleteWithConfirmButton,
  FunctionField,
  List,
  ReferenceField,
  ReferenceInput,
  required,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  useLocaleState,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { scrollableTable } from '../fields/scrollableTable';
import { formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import { ApproveDesktopPairing, DesktopPairing } from './operations';

interface SeatRow {
  id: string;
  deviceId: string;
  name: string;
  userId: string;
  registeredAt: string;
  deregisteredAt: string | null;
  paired: boolean;
  lastSeenAt: string | null;
  connected: boolean;
}

interface PairingPreview {
  id: string;
  pcName: string;
  userName: string;
  requestedAt: string;
}

/**
 * A tenant admin approves a PC's pairing code: the PC's name, its user and when it asked are shown
 * before approving (docs/product-rules.md#concurrent-connections).
 */
function PairingApproval() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const refresh = useRefresh();
  const [code, setCode] = useState('');
  const [preview, setPreview] = useState<PairingPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

  const check = async () => {
    setError(null);
    setPreview(null);
    try {
      setPreview((await request(DesktopPairing, { code: code.trim() })).desktopPairing);
    } catch (err) {
      setError(message(err));
    }
  };
  const approve = async () => {
    try {
      const { approveDesktopPairing } = await request(ApproveDesktopPairing, { code: code.trim() });
      notify(translate('resources.seats.approve.approved', { name: approveDesktopPairing.seat.name }), {
        type: 'success',
      });
      setPreview(null);
      setCode('');
      refresh();
    } catch (err) {
      setError(message(err));
    }
  };

  return (
    <Card sx={{ mt: 2 }} data-testid="pairing-approval">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          {translate('resources.seats.approve.title')}
        </Typography>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
          <MuiTextField
            label={translate('resources.seats.approve.code')}
            helperText={translate('resources.seats.approve.codeHelp')}
            value={code}
            onChange={(e) => {
              setCode(e.target.value);
              setPreview(null);
            }}
            size="small"
            slotProps={{ htmlInput: { autoCapitalize: 'characters', spellCheck: false } }}
          />
          <Button variant="outlined" onClick={check} disabled={!code.trim()}>
            {translate('resources.seats.approve.check')}
          </Button>
        </Stack>
        {preview && (
          <Box sx={{ mt: 1 }} data-testid="pairing-preview">
            <Typography variant="body1">
              {translate('resources.seats.approve.summary', {
                pcName: preview.pcName,
                user: preview.userName,
                time: formatDateTime(preview.requestedAt, locale),
              })}
            </Typography>
            <Button variant="contained" sx={{ mt: 1 }} onClick={approve}>
              {translate('resources.seats.approve.confirm')}
            </Button>
          </Box>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 1 }} role="alert">
            {error}
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}

function DeregisterButton() {
  const seat = useRecordContext<SeatRow>();
  const translate = useTranslate();
  if (!seat || seat.deregisteredAt) return null;
  return (
    <DeleteWithConfirmButton
      label="resources.seats.deregister"
      aria-label={`${translate('resources.seats.deregister')}: ${seat.name}`}
      confirmTitle="resources.seats.deregister"
      confirmContent={translate('resources.seats.deregisterConfirm', { name: seat.name })}
      successMessage="resources.seats.deregistered"
      mutationMode="pessimistic"
      redirect={false}
    />
  );
}

/**
 * Registered PCs (the desktop client): each is a seat licence billed for the months it is registered
 * in. PCs are registered by pairing (the code shown on the PC); the typed-id form stays for the
 * existing scripts and tests.
 */
export function SeatList() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return (
    <>
      <PairingApproval />
      <List exporter={false} pagination={false} sort={{ field: 'registeredAt', order: 'DESC' }}>
        <Datagrid sx={scrollableTable} bulkActionButtons={false} rowClick={false}>
          <TextField source="name" />
          <ReferenceField source="userId" reference="users" link={false}>
            <TextField source="name" />
          </ReferenceField>
          <FunctionField<SeatRow>
            source="lastSeenAt"
            render={(r) =>
              r.lastSeenAt ? formatDateTime(r.lastSeenAt, locale) : translate('resources.seats.neverSeen')
            }
          />
          <FunctionField<SeatRow>
            source="deregisteredAt"
            label="resources.seats.fields.status"
            render={(r) =>
              r.deregisteredAt
                ? translate('resources.seats.deregisteredAt', { time: formatDateTime(r.deregisteredAt, locale) })
                : r.connected
                  ? translate('resources.seats.connected')
                  : translate('resources.seats.registered')
            }
          />
          <FunctionField<SeatRow> source="registeredAt" render={(r) => formatDateTime(r.registeredAt, locale)} />
          <TextField source="deviceId" />
          <DeregisterButton />
        </Datagrid>
      </List>
    </>
  );
}

export const SeatCreate = () => (
  <Create redirect="list">
    <SimpleForm>
      <TextInput source="name" validate={required()} helperText="resources.seats.nameHelp" />
      <TextInput source="deviceId" validate={required()} helperText="resources.seats.deviceIdHelp" />
      <ReferenceInput source="userId" reference="users">
        <SelectInput optionText="name" validate={required()} />
      </ReferenceInput>
    </SimpleForm>
  </Create>
);
