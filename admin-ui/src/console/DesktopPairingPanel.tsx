import ComputerIcon from '@mui/icons-material/Computer';
import { Alert, AlertTitle, Box, Button, Chip, Stack, Typography } from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import { useLocaleState, useTranslate } from 'react-admin';
import { currentSession, hasRole } from '../auth/session';
import { formatDateTime } from '../format/date';
import { request } from '../graphql/client';
import { ApproveDesktopPairing, ClaimDesktopPairing, RequestDesktopPairing } from '../seats/operations';
import { type DesktopDevice, desktopDevice, saveDesktopDevice } from './desktopDevice';

interface Pending {
  id: string;
  code: string;
  secret: string;
  pcName: string;
  expiresAt: string;
}

const POLL_MS = 2_000;

/**
 * Registers this PC as a desktop (docs/product-rules.md#concurrent-connections): the console asks
 * licensing for a pairing code and shows it with the PC name it will get; a tenant admin approves
 * the code on the PCs page (or, signed in here, registers this PC in one click). The console polls
 * its pairing and, once approved, keeps the device credential and reconnects as a desktop.
 */
export function DesktopPairingPanel({ onPaired }: { onPaired: () => void }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const session = currentSession();
  const userId = session?.user.id;
  const [device, setDevice] = useState<DesktopDevice | null>(() => desktopDevice(userId));
  const [pending, setPending] = useState<Pending | null>(null);
  const [state, setState] = useState<'idle' | 'expired' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);

  const paired = useCallback(
    (credential: string, pcName: string) => {
      if (!userId) return;
      const d = { userId, pcName, credential };
      saveDesktopDevice(d);
      setDevice(d);
      setPending(null);
      onPaired();
    },
    [userId, onPaired],
  );

  useEffect(() => {
    if (!pending) return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const { claimDesktopPairing: c } = await request(ClaimDesktopPairing, {
          id: pending.id,
          secret: pending.secret,
        });
        if (stopped) return;
        if (c.status === 'APPROVED' && c.deviceCredential) paired(c.deviceCredential, c.pcName);
        else if (c.status === 'EXPIRED') {
          setPending(null);
          setState('expired');
        }
      } catch {
        // Retried on the next tick.
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [pending, paired]);

  if (!session || !hasRole(session, 'OPERATOR', 'TENANT_ADMIN')) return null;

  if (device) {
    // Re-read on every render: a revoked PC's credential is forgotten by the feed.
    if (!desktopDevice(userId)) setDevice(null);
    return (
      <Chip
        icon={<ComputerIcon />}
        label={translate('console.pairing.connectedAs', { name: device.pcName })}
        data-testid="desktop-device"
        sx={{ mb: 2 }}
      />
    );
  }

  const start = async () => {
    setError(null);
    setState('idle');
    try {
      const { requestDesktopPairing } = await request(RequestDesktopPairing, {});
      setPending(requestDesktopPairing);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const registerHere = async () => {
    if (!pending) return;
    try {
      const { approveDesktopPairing: a } = await request(ApproveDesktopPairing, {
        code: pending.code,
        secret: pending.secret,
      });
      if (a.deviceCredential) paired(a.deviceCredential, a.seat.name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  if (!pending) {
    return (
      <Box sx={{ mb: 2 }}>
        <Button variant="outlined" startIcon={<ComputerIcon />} onClick={start}>
          {translate('console.pairing.start')}
        </Button>
        {state === 'expired' && (
          <Alert severity="warning" sx={{ mt: 1 }}>
            {translate('console.pairing.expired')}
          </Alert>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 1 }} role="alert">
            {error}
          </Alert>
        )}
      </Box>
    );
  }

  return (
    <Alert severity="info" icon={<ComputerIcon />} sx={{ mb: 2 }} data-testid="pairing">
      <AlertTitle>{translate('console.pairing.title')}</AlertTitle>
      <Typography
        component="p"
        data-testid="pairing-code"
        sx={{ fontFamily: 'monospace', fontSize: '2rem', letterSpacing: '0.2em', my: 1 }}
      >
        {pending.code}
      </Typography>
      <Typography variant="body2">{translate('console.pairing.pcName', { name: pending.pcName })}</Typography>
      <Typography variant="body2">
        {translate('console.pairing.instructions', { time: formatDateTime(pending.expiresAt, locale) })}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        {hasRole(session, 'TENANT_ADMIN') && (
          <Button variant="contained" onClick={registerHere}>
            {translate('console.pairing.registerHere')}
          </Button>
        )}
        <Button onClick={() => setPending(null)}>{translate('console.pairing.cancel')}</Button>
      </Stack>
      {error && (
        <Typography variant="body2" color="error" role="alert">
          {error}
        </Typography>
      )}
    </Alert>
  );
}
