import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { NotificationUnsubscribeStatus } from '../../shared/notifications';
import { api } from '../api/client';
import { PublicPage } from '../shell/PublicPage';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { kindWords } from './notification-words';

/**
 * /notifications/unsubscribe/:token — the link in every notification email. Opening it changes
 * nothing (mail scanners open links); pressing the button stops that one kind of email.
 */
export function NotificationUnsubscribePage() {
  const { token = '' } = useParams();
  const path = `/api/notifications/unsubscribe/${encodeURIComponent(token)}`;
  const status = useQuery({
    queryKey: ['notification-unsubscribe', token],
    queryFn: ({ signal }) => api<NotificationUnsubscribeStatus>(path, { signal }),
    retry: false,
  });
  const confirm = useMutation({
    mutationFn: () => api<NotificationUnsubscribeStatus>(path, { method: 'POST', body: {} }),
  });
  const done = confirm.data?.unsubscribed ?? status.data?.unsubscribed ?? false;
  const what = status.data ? `“${kindWords[status.data.kind].label}” emails` : 'these emails';
  return (
    <PublicPage title="Unsubscribe" description="Stop one kind of notification email.">
      {status.isPending ? (
        <LoadingState />
      ) : status.isError ? (
        <ErrorState error={status.error} title="This link does not work" />
      ) : (
        <Stack gap="md">
          {done ? (
            <Alert color="green" variant="light" title="You are unsubscribed" role="status">
              <Text size="sm">
                {status.data.email} will get no more {what}. Other notifications and invitations are unchanged.
              </Text>
            </Alert>
          ) : (
            <>
              <Text size="sm">
                Stop {what} to <b>{status.data.email}</b>? Other notifications and invitations are unchanged.
              </Text>
              {confirm.isError && <ErrorState error={confirm.error} title="That did not work" />}
              <Button size="md" fullWidth onClick={() => confirm.mutate()} loading={confirm.isPending}>
                Unsubscribe
              </Button>
            </>
          )}
          <Text size="sm" c="dimmed">
            You can change every notification on{' '}
            <Anchor component={Link} to="/profile">
              your profile
            </Anchor>
            .
          </Text>
        </Stack>
      )}
    </PublicPage>
  );
}
