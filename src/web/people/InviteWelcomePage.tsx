import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { requestSignInCode } from '../auth/auth-api';
import type { SentCode } from '../auth/SignInPage';
import { PublicPage } from '../shell/PublicPage';
import { LoadingState } from '../ui/LoadingState';
import { useInviteWelcome } from './invite-welcome-api';

/** /invite/:token — a pre-verified person's personal welcome page. They still prove the email by code. */
export function InviteWelcomePage() {
  const token = useParams().token ?? '';
  const welcome = useInviteWelcome(token);
  const navigate = useNavigate();
  // "Send me a code" sends it, then shows the code step of sign-in.
  const send = useMutation({
    mutationFn: (email: string) => requestSignInCode(email),
    onSuccess: (answer, email) => {
      const codeSent: SentCode = { email, answer };
      navigate('/sign-in', { state: { codeSent } });
    },
  });
  if (welcome.isPending)
    return (
      <PublicPage title="Welcome">
        <LoadingState />
      </PublicPage>
    );
  if (welcome.isError) {
    return (
      <PublicPage title="This invite link does not work">
        <Stack>
          <Alert color="orange">
            The link may have been replaced by a newer one. You can still sign in with your email address.
          </Alert>
          <Button component={Link} to="/sign-in">
            Sign in
          </Button>
        </Stack>
      </PublicPage>
    );
  }
  const w = welcome.data;
  const signIn = w.email ? `/sign-in#email=${encodeURIComponent(w.email)}` : '/sign-in';
  return (
    <PublicPage title={`Welcome, ${w.firstName || 'there'}`} description={`You have been invited to ${w.siteName}.`}>
      <Stack>
        {w.status === 'active' ? (
          <Text>Your account is ready. Sign in to continue.</Text>
        ) : (
          <Text>
            To finish, confirm your email address
            {w.email ? (
              <>
                {' '}
                <b>{w.email}</b>
              </>
            ) : (
              ''
            )}
            : we will send you a 6-digit code. Nothing happens until you enter it.
          </Text>
        )}
        {send.isError && (
          <Alert color="red" role="alert">
            {isApiError(send.error) ? send.error.message : 'The code could not be sent. Try again.'}
          </Alert>
        )}
        {w.status !== 'active' && w.email ? (
          <Button onClick={() => send.mutate(w.email as string)} loading={send.isPending}>
            Send me a code
          </Button>
        ) : (
          <Button component={Link} to={signIn}>
            {w.status === 'active' ? 'Sign in' : 'Continue'}
          </Button>
        )}
      </Stack>
    </PublicPage>
  );
}
