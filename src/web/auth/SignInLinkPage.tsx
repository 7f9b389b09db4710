import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { meQueryKey } from '../api/client';
import { PublicPage } from '../shell/PublicPage';
import { completeSignInLink } from './auth-api';
import { signInProblem } from './sign-in-errors';

/**
 * /auth/link/:token — opening the link only shows this page (mail scanners open links too);
 * pressing Continue signs in.
 */
export function SignInLinkPage() {
  const { token = '' } = useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const complete = useMutation({
    mutationFn: () => completeSignInLink(token),
    onSuccess: async (me) => {
      queryClient.clear();
      if (me) queryClient.setQueryData(meQueryKey, me);
      else await queryClient.invalidateQueries({ queryKey: meQueryKey });
      navigate('/', { replace: true });
    },
  });
  const problem = complete.isError ? signInProblem(complete.error) : null;
  return (
    <PublicPage
      title="Continue signing in"
      description="You opened a one-time sign-in link. Press Continue to sign in on this browser."
    >
      <Stack gap="md">
        {problem && (
          <Alert color="red" variant="light" title={problem.title} role="alert">
            <Text size="sm">{problem.message}</Text>
          </Alert>
        )}
        {problem ? (
          <Button component={Link} to="/sign-in" size="md" fullWidth>
            Sign in with your email
          </Button>
        ) : (
          <Button
            size="md"
            fullWidth
            onClick={() => complete.mutate()}
            loading={complete.isPending || complete.isSuccess}
          >
            Continue
          </Button>
        )}
        <Text size="xs" c="dimmed">
          Did not ask to sign in? Close this page; nothing happens until you press Continue.
        </Text>
      </Stack>
    </PublicPage>
  );
}
