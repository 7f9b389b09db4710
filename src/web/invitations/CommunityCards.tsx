import { Anchor, Badge, Card, EmptyState, Group, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { CommunityCard } from '../../shared/invitations';

const privacyWords: Record<string, string> = { public: 'Public', private: 'Private', invite_only: 'Invite-only' };

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
