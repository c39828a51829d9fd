import DownloadIcon from '@mui/icons-material/Download';
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { Alert, Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import { useState, useSyncExternalStore } from 'react';
import { Title, useTranslate } from 'react-admin';
import { notificationState } from '../console/notifications';
import { installState } from './pwa';

/** Opens the console in a small window that can stay beside other work. */
export function openCompactWindow(): void {
  window.open('/compact', 'thankstar-compact', 'popup,width=440,height=760');
}

const steps = (translate: (key: string) => string, os: 'windows' | 'mac') =>
  [1, 2, 3, 4].map((n) => (
    <Typography component="li" key={n} variant="body2" sx={{ mb: 0.5 }}>
      {translate(`setup.${os}.step${n}`)}
    </Typography>
  ));

/**
 * How an operator turns the console into the PC's desktop client: install it from Chrome or
 * Edge (Windows and Mac), allow notifications, start it at login, keep it in a compact window.
 */
export function DesktopSetupPage() {
  const translate = useTranslate();
  const canInstall = useSyncExternalStore(installState.subscribe, installState.canInstall);
  const installed = installState.installed();
  const [notifications, setNotifications] = useState(notificationState);

  return (
    <Box component="main" sx={{ p: { xs: 1, sm: 2 }, maxWidth: 900 }}>
      <Title title={translate('setup.title')} />
      <Typography variant="h5" component="h1" sx={{ mb: 1 }}>
        {translate('setup.title')}
      </Typography>
      <Typography variant="body1" sx={{ mb: 2 }}>
        {translate('setup.intro')}
      </Typography>
      <Stack spacing={2}>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" component="h2">
              {translate('setup.install.title')}
            </Typography>
            {installed ? (
              <Alert severity="success" data-testid="setup-installed">
                {translate('setup.install.done')}
              </Alert>
            ) : (
              <>
                <Typography variant="body2" sx={{ mb: 1 }}>
                  {translate('setup.install.body')}
                </Typography>
                <Button
                  variant="contained"
                  startIcon={<DownloadIcon />}
                  disabled={!canInstall}
                  onClick={() => void installState.install()}
                  data-testid="setup-install"
                >
                  {translate('setup.install.button')}
                </Button>
                {!canInstall && (
                  <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
                    {translate('setup.install.manual')}
                  </Typography>
                )}
              </>
            )}
          </CardContent>
        </Card>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" component="h2">
              {translate('setup.notifications.title')}
            </Typography>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {translate('setup.notifications.body')}
            </Typography>
            {notifications === 'granted' ? (
              <Alert severity="success">{translate('console.notifications.enabled')}</Alert>
            ) : notifications === 'denied' ? (
              <Alert severity="warning">{translate('console.notifications.denied')}</Alert>
            ) : (
              <Button
                variant="outlined"
                startIcon={<NotificationsActiveIcon />}
                onClick={async () => setNotifications(await Notification.requestPermission())}
              >
                {translate('console.notifications.enable')}
              </Button>
            )}
          </CardContent>
        </Card>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" component="h2">
              {translate('setup.login.title')}
            </Typography>
            <Typography variant="subtitle2" component="h3" sx={{ mt: 1 }}>
              Windows（Chrome / Edge）
            </Typography>
            <Box component="ol" sx={{ pl: 3, my: 0.5 }}>
              {steps(translate, 'windows')}
            </Box>
            <Typography variant="subtitle2" component="h3" sx={{ mt: 1 }}>
              Mac（Chrome / Edge）
            </Typography>
            <Box component="ol" sx={{ pl: 3, my: 0.5 }}>
              {steps(translate, 'mac')}
            </Box>
          </CardContent>
        </Card>
        <Card variant="outlined">
          <CardContent>
            <Typography variant="h6" component="h2">
              {translate('setup.compact.title')}
            </Typography>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {translate('setup.compact.body')}
            </Typography>
            <Button variant="outlined" startIcon={<OpenInNewIcon />} onClick={openCompactWindow}>
              {translate('console.compact')}
            </Button>
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}
