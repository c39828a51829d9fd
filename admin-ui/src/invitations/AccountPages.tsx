import LockIcon from '@mui/icons-material/Lock';
import { Alert, Avatar, Box, Button, Card, CardContent, Link, TextField, Typography } from '@mui/material';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { Login, LoginForm, useNotify, useTranslate } from 'react-admin';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router-dom';
import { authProvider } from '../auth/authProvider';
import { GatewayError, request } from '../graphql/client';
import {
  errorMessageKey,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordFormProblem,
  type TokenPage,
  tokenFrom,
} from './accountRules';
import { ResetPassword } from './operations';

const limits = { min: MIN_PASSWORD_LENGTH, max: MAX_PASSWORD_LENGTH };

/** The sign-in page with the way to a forgotten password. */
export function LoginPage() {
  const translate = useTranslate();
  return (
    <Login>
      <LoginForm />
      <Box sx={{ px: 2, pb: 2, textAlign: 'center' }}>
        <Link component={RouterLink} to="/forgot-password">
          {translate('app.account.forgot.link')}
        </Link>
      </Box>
    </Login>
  );
}

/**
 * A public page (no sign-in) in the look of the login card. Not react-admin's `<Login>`: that one
 * sends a signed-in visitor to the home page, and someone signed in may still open a mailed link.
 */
function PublicCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box
      component="main"
      sx={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'flex-start',
        justifyContent: 'center',
        bgcolor: 'grey.100',
      }}
    >
      <Card sx={{ width: '100%', maxWidth: 440, mt: { xs: 2, sm: 10 }, mx: 1 }}>
        <CardContent>
          <Box sx={{ display: 'flex', justifyContent: 'center', mb: 1 }}>
            <Avatar sx={{ bgcolor: 'secondary.main' }}>
              <LockIcon />
            </Avatar>
          </Box>
          <Typography component="h1" variant="h6" align="center" gutterBottom>
            {title}
          </Typography>
          {children}
        </CardContent>
      </Card>
    </Box>
  );
}

function LoginLink() {
  const translate = useTranslate();
  return (
    <Box sx={{ mt: 2, textAlign: 'center' }}>
      <Link component={RouterLink} to="/login">
        {translate('app.account.toLogin')}
      </Link>
    </Box>
  );
}

/**
 * Choose a password twice, checked against licensing's policy before sending; the server's
 * refusal is shown in the user's language by its code.
 */
function NewPasswordForm({
  page,
  intro,
  submitLabel,
  onSubmit,
}: {
  page: TokenPage;
  intro: string;
  submitLabel: string;
  onSubmit: (token: string, password: string) => Promise<void>;
}) {
  const translate = useTranslate();
  const [params] = useSearchParams();
  const token = tokenFrom(params.toString());
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [touched, setTouched] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const fieldId = useId();
  if (!token) {
    return (
      <>
        <Alert severity="error">{translate('app.account.missingToken')}</Alert>
        <LoginLink />
      </>
    );
  }
  const problem = passwordFormProblem(password, confirmation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    setSending(true);
    setFailure(null);
    try {
      await onSubmit(token, password);
    } catch (err) {
      const code = err instanceof GatewayError ? err.code : undefined;
      setFailure(translate(errorMessageKey(page, code), { ...limits, code: code ?? 'ERROR' }));
    } finally {
      setSending(false);
    }
  };
  return (
    <Box component="form" onSubmit={submit} noValidate>
      <Typography variant="body2" sx={{ mb: 2 }}>
        {intro}
      </Typography>
      <TextField
        label={translate('app.account.password')}
        type="password"
        autoComplete="new-password"
        fullWidth
        margin="dense"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={touched && problem === 'length'}
        helperText={translate('app.account.passwordHelp', limits)}
        id={`${fieldId}-password`}
      />
      <TextField
        label={translate('app.account.confirmation')}
        type="password"
        autoComplete="new-password"
        fullWidth
        margin="dense"
        value={confirmation}
        onChange={(e) => setConfirmation(e.target.value)}
        error={touched && problem === 'mismatch'}
        id={`${fieldId}-confirmation`}
      />
      {touched && problem && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          {translate(`app.account.problems.${problem}`, limits)}
        </Alert>
      )}
      {failure && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {failure}
        </Alert>
      )}
      <Button type="submit" variant="contained" fullWidth sx={{ mt: 2 }} disabled={sending}>
        {submitLabel}
      </Button>
      <LoginLink />
    </Box>
  );
}

/** `#/accept-invitation?token=…` from the invitation mail: the invitee sets a password and is signed in. */
export function AcceptInvitationPage() {
  const translate = useTranslate();
  return (
    <PublicCard title={translate('app.account.accept.title')}>
      <NewPasswordForm
        page="accept-invitation"
        intro={translate('app.account.accept.intro')}
        submitLabel={translate('app.account.accept.submit')}
        onSubmit={async (invitationToken, password) => {
          // The auth provider accepts and stores the session, as a sign-in does.
          const { redirectTo } = (await authProvider.login({ invitationToken, password })) as { redirectTo: string };
          // A fresh start on the landing page: react-admin checked this visitor as signed out while
          // this public page was shown, and a router navigation would act on that (sign out again).
          // replaceState changes the address without the router noticing; the reload starts over.
          window.history.replaceState(null, '', `${window.location.pathname}#${redirectTo}`);
          window.location.reload();
        }}
      />
    </PublicCard>
  );
}

/** `#/reset-password?token=…` from the reset mail: a new password, then the login page (every session has ended). */
export function ResetPasswordPage() {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  return (
    <PublicCard title={translate('app.account.reset.title')}>
      <NewPasswordForm
        page="reset-password"
        intro={translate('app.account.reset.intro')}
        submitLabel={translate('app.account.reset.submit')}
        onSubmit={async (token, password) => {
          await request(ResetPassword, { token, password }, undefined, false);
          notify(translate('app.account.reset.done'), { type: 'success', autoHideDuration: null });
          navigate('/login');
        }}
      />
    </PublicCard>
  );
}

/**
 * From the login page. Licensing has no self-service reset request (only a tenant admin's
 * createPasswordReset for a user of their tenant), so this page says who sends the mail.
 */
export function ForgotPasswordPage() {
  const translate = useTranslate();
  return (
    <PublicCard title={translate('app.account.forgot.title')}>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {translate('app.account.forgot.body')}
      </Typography>
      <Typography variant="body2">{translate('app.account.forgot.admins')}</Typography>
      <LoginLink />
    </PublicCard>
  );
}
