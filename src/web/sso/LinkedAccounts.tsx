import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { ssoStartUrl, useMySsoLinks, useUnlinkProvider } from './sso-api';

/** The profile's "Sign-in accounts": providers linked to this person, unlink, and link another. */
export function LinkedAccounts() {
  const links = useMySsoLinks();
  const unlink = useUnlinkProvider();
  const [params] = useSearchParams();
  if (links.isPending) return <LoadingState />;
  if (links.isError) return <ErrorState error={links.error} title="Your sign-in accounts could not be opened" />;
  const { items, available, removed } = links.data;
  if (items.length === 0 && available.length === 0 && removed.length === 0) return null;
  return (
    <Paper withBorder p="lg">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Sign-in accounts
        </Title>
        <Text size="sm" c="dimmed">
          Link your institution’s account to sign in with it. Linking never changes the details you filled in.
        </Text>
        {params.get('sso') === 'linked' && (
          <Alert color="green" variant="light" role="status">
            The account is linked.
          </Alert>
        )}
        {removed.map((r) => (
          <Alert key={r.providerId} color="yellow" variant="light" title={`${r.providerName} was unlinked`}>
            Your {r.providerName} account was unlinked on {formatDateTime(r.removedAt)}: it was linked when this email
            address had not been confirmed yet, so it could have been someone else’s. If it was yours, link it again
            below.
          </Alert>
        ))}
        {items.map((l) => (
          <Group key={l.providerId} justify="space-between">
            <Text size="sm">
              <strong>{l.providerName}</strong>
              {l.email ? ` — ${l.email}` : ''}
            </Text>
            <Button
              variant="default"
              size="xs"
              loading={unlink.isPending && unlink.variables === l.providerId}
              onClick={() => unlink.mutate(l.providerId)}
            >
              Unlink {l.providerName}
            </Button>
          </Group>
        ))}
        {available.map((p) => (
          <Group key={p.id} justify="space-between">
            <Text size="sm">{p.name}</Text>
            <Button component="a" href={ssoStartUrl(p.id, { intent: 'link' })} variant="light" size="xs">
              Link {p.name}
            </Button>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
