import { Anchor, Badge, Button, Card, EmptyState, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link } from 'react-router';
import type { CommunityCard, RecommendedCommunities as Recommended } from '../../shared/invitations';
import { isApiError } from '../api/client';
import { formatDateTime } from '../ui/format';
import { useAnswerInvitation } from './invitations-api';

const privacyWords: Record<string, string> = { public: 'Public', private: 'Private', invite_only: 'Invite-only' };

/** Open invitations, newest first, each with Join and Not now. */
export function InvitationCards({ invitations }: { readonly invitations: Recommended['invitations'] }) {
  const answer = useAnswerInvitation();
  if (invitations.length === 0) {
    return (
      <EmptyState
        size="sm"
        title="No invitations right now"
        description="When someone invites you to a community, it shows up here."
      />
    );
  }
  const respond = (community: CommunityCard, kind: 'join' | 'dismiss') =>
    answer.mutate(
      { communityId: community.id, answer: kind },
      {
        onSuccess: () =>
          notifications.show({
            color: kind === 'join' ? 'green' : 'gray',
            message: kind === 'join' ? `You joined ${community.name}.` : `Invitation to ${community.name} set aside.`,
          }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            message: isApiError(error) ? error.message : 'That did not work. Try again.',
          }),
      },
    );
  return (
    <Stack gap="sm">
      {invitations.map((i) => {
        const busy = answer.isPending && answer.variables?.communityId === i.community.id;
        return (
          <Card
            key={i.community.id}
            withBorder
            padding="md"
            data-testid="invitation-card"
            aria-label={`Invitation to ${i.community.name}`}
          >
            <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
              <Stack gap={2} style={{ flex: '1 1 280px', minWidth: 0 }}>
                <Text fw={600}>{i.community.name}</Text>
                {i.community.headline && (
                  <Text size="sm" c="dimmed">
                    {i.community.headline}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  Invited {i.invitedBy ? `by ${i.invitedBy.name} ` : ''}on {formatDateTime(i.invitedAt)}
                </Text>
                {i.message && (
                  <Text size="sm" mt={4} style={{ whiteSpace: 'pre-line' }} lineClamp={4}>
                    “{i.message}”
                  </Text>
                )}
              </Stack>
              <Group gap="xs">
                <Button variant="default" disabled={busy} onClick={() => respond(i.community, 'dismiss')}>
                  Not now
                </Button>
                <Button
                  loading={busy && answer.variables?.answer === 'join'}
                  disabled={busy}
                  onClick={() => respond(i.community, 'join')}
                >
                  Join
                </Button>
              </Group>
            </Group>
          </Card>
        );
      })}
    </Stack>
  );
}

/** A grid of community cards linking to each community. */
export function CommunityCards({
  communities,
  empty,
}: {
  readonly communities: readonly (CommunityCard & { role?: string })[];
  readonly empty: { title: string; description: string };
}) {
  if (communities.length === 0) return <EmptyState size="sm" title={empty.title} description={empty.description} />;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
      {communities.map((c) => (
        <Card key={c.id} withBorder padding="sm">
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Anchor component={Link} to={`/communities/${c.id}`} fw={600} truncate>
              {c.name}
            </Anchor>
            {c.role === 'leader' ? (
              <Badge size="xs" variant="light">
                Leader
              </Badge>
            ) : (
              <Badge size="xs" variant="outline" color="gray">
                {privacyWords[c.privacy] ?? c.privacy}
              </Badge>
            )}
          </Group>
          {c.headline && (
            <Text size="sm" c="dimmed" lineClamp={2}>
              {c.headline}
            </Text>
          )}
        </Card>
      ))}
    </SimpleGrid>
  );
}
