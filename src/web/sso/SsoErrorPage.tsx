import { Alert, Button, Stack, Text } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { type ErrorCode, errorCatalogue } from '../../shared/errors';
import { safeNextPath } from '../auth/next-path';
import { PublicPage } from '../shell/PublicPage';

const titles: Partial<Record<ErrorCode, string>> = {
  account_pending: 'Your account waits for approval',
  account_inactive: 'Your account is not active',
  sign_up_closed: 'This site takes no new sign-ups',
  sso_email_taken: 'An account with this address exists',
  sso_already_linked: 'That account is linked to someone else',
  sso_link_exists: 'Already linked',
};

/** /sso/error?code=…&back=… — why a sign-in through an identity provider did not finish, and the way back. */
export function SsoErrorPage() {
  const [params] = useSearchParams();
  const raw = params.get('code') ?? '';
  const code = (Object.hasOwn(errorCatalogue, raw) ? raw : 'sso_response_invalid') as ErrorCode;
  const back = safeNextPath(params.get('back') ?? '/sign-in');
  const pending = code === 'account_pending';
  return (
    <PublicPage title={titles[code] ?? 'Sign-in did not finish'}>
      <Stack gap="md">
        <Alert color={pending ? 'indigo' : 'red'} variant="light" role={pending ? 'status' : 'alert'}>
          <Text size="sm">{errorCatalogue[code].message}</Text>
          <Text size="xs" mt="xs">
            Reference: {code}
          </Text>
        </Alert>
        <Button component={Link} to={back === '/' ? '/sign-in' : back} variant="light">
          {back.startsWith('/join/')
            ? 'Back to the page'
            : back === '/profile'
              ? 'Back to your profile'
              : 'Back to sign in'}
        </Button>
      </Stack>
    </PublicPage>
  );
}
