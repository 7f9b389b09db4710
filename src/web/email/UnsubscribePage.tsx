import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import type { UnsubscribeStatus } from '../../shared/email';
import { api } from '../api/client';
import { PublicPage } from '../shell/PublicPage';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';

/**
 * /unsubscribe/:token — the link in every invitation email. Opening it changes nothing (mail
 * scanners open links); pressing the button stops invitation emails. Sign-in emails still come.
 */
export function UnsubscribePage() {
  const { token = '' } = useParams();
  const path = `/api/unsubscribe/${encodeURIComponent(token)}`;
  const status = useQuery({
    queryKey: ['unsubscribe', token],
    queryFn: ({ signal }) => api<UnsubscribeStatus>(path, { signal }),
    retry: false,
  });
  const confirm = useMutation({ mutationFn: () => api<UnsubscribeStatus>(path, { method: 'POST', body: {} }) });
  const done = confirm.data?.unsubscribed ?? status.data?.unsubscribed ?? false;
  return (
    <PublicPage title="Unsubscribe" description="Stop invitation emails to this address.">
      {status.isPending ? (
        <LoadingState />
      ) : status.isError ? (
        <ErrorState error={status.error} title="This link does not work" />
      ) : (
        <Stack gap="md">
          {done ? (
            <Alert color="green" variant="light" title="You are unsubscribed" role="status">
              <Text size="sm">
                {status.data.email} will get no more invitation emails. Sign-in codes you ask for still arrive.
              </Text>
            </Alert>
          ) : (
            <>
              <Text size="sm">
                Stop invitation emails to <b>{status.data.email}</b>? Sign-in codes you ask for will still arrive.
              </Text>
              {confirm.isError && <ErrorState error={confirm.error} title="That did not work" />}
              <Button size="md" fullWidth onClick={() => confirm.mutate()} loading={confirm.isPending}>
                Unsubscribe
              </Button>
            </>
          )}
        </Stack>
      )}
    </PublicPage>
  );
}
