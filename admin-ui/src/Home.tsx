import { Card, CardContent, Typography } from '@mui/material';
import { Title, useTranslate } from 'react-admin';
import { Navigate } from 'react-router-dom';
import { landingPage } from './auth/authProvider';
import { currentSession } from './auth/session';

/** `/`: operators go straight to their console; staff see the menu. */
export function Home() {
  const translate = useTranslate();
  const session = currentSession();
  if (landingPage(session) === '/console') return <Navigate to="/console" replace />;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('app.title')} />
      <CardContent>
        <Typography variant="h5" component="h2">
          {session?.user.tenant.name}
        </Typography>
        <Typography>{session?.user.name}</Typography>
      </CardContent>
    </Card>
  );
}
