import { Anchor, Badge, Button, Card, EmptyState, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { privacyWords, useCommunities } from './communities-api';
import { JoinButton } from './JoinButton';

const stateWords: Record<string, string> = { joined: 'Member', requested: 'Requested', invited: 'Invited' };

/** /communities — the communities this person may see, with Join / Ask to join. */
export function CommunitiesPage() {
  const [q, setQ] = useState('');
  const [term] = useDebouncedValue(q.trim(), 250);
  const list = useCommunities(term);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader title="Communities" description="Join a public community at once; ask to join a private one." />
      <Stack gap="md">
        <TextInput
          placeholder="Search communities"
          aria-label="Search communities"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          maw={420}
        />
        {list.isPending ? (
          <LoadingState />
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState
            title={term ? 'No community matches' : 'No communities yet'}
            description="Communities you may join appear here."
          />
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {items.map((c) => {
              const mode =
                c.myState === 'joined' || c.myState === 'requested'
                  ? null
                  : c.myState === 'invited' || c.privacy === 'public'
                    ? 'join'
                    : c.privacy === 'private'
                      ? 'request'
                      : null;
              return (
                <Card key={c.id} withBorder padding="md" data-testid={`community-card-${c.id}`}>
                  <Stack gap="xs" h="100%">
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <Anchor component={Link} to={`/communities/${c.id}`} fw={600}>
                        {c.name}
                      </Anchor>
                      <Badge
                        variant="light"
                        color={privacyWords[c.privacy].color}
                        style={{ flexShrink: 0, minWidth: 'max-content' }}
                      >
                        {privacyWords[c.privacy].label}
                      </Badge>
                    </Group>
                    <Text size="sm" c="dimmed" lineClamp={2} style={{ flex: 1 }}>
                      {c.headline || ' '}
                    </Text>
                    <Group justify="space-between">
                      <Text size="xs" c="dimmed">
                        {c.memberCount.toLocaleString()} {c.memberCount === 1 ? 'member' : 'members'}
                        {c.myState && stateWords[c.myState] ? ` · ${stateWords[c.myState]}` : ''}
                      </Text>
                      <JoinButton communityId={c.id} mode={mode} state={c.myState} canLeave={false} />
                    </Group>
                  </Stack>
                </Card>
              );
            })}
          </SimpleGrid>
        )}
        {list.hasNextPage && (
          <Group justify="center">
            <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              Load more
            </Button>
          </Group>
        )}
      </Stack>
    </>
  );
}
