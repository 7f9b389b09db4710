import {
  Anchor,
  Badge,
  Button,
  CopyButton,
  EmptyState,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { type AdminCommunityItem, privacyWords, useAdminCommunities } from '../communities/communities-api';
import { CommunityFormModal } from '../communities/CommunityFormModal';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';

/** /admin/communities — every community with its Community ID, privacy, counts and landing URL; create and edit. */
export function AdminCommunitiesPage() {
  const [q, setQ] = useState('');
  const [term] = useDebouncedValue(q.trim(), 250);
  const list = useAdminCommunities(term);
  const [editing, setEditing] = useState<AdminCommunityItem | 'new' | null>(null);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Communities"
        description="The Community ID is the number CSV files use. Leaders are promoted from a community’s Members tab."
        actions={<Button onClick={() => setEditing('new')}>New community</Button>}
      />
      <Stack gap="md">
        <TextInput
          placeholder="Search by name or Community ID"
          aria-label="Search communities"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          maw={420}
        />
        <Paper withBorder>
          {list.isPending ? (
            <LoadingState label="Loading communities…" />
          ) : list.isError ? (
            <Stack p="md">
              <ErrorState error={list.error} onRetry={() => void list.refetch()} />
            </Stack>
          ) : items.length === 0 ? (
            <EmptyState
              py="xl"
              title={term ? 'No community matches' : 'No communities yet'}
              description={term ? 'Try another name or ID.' : 'Create the first one with “New community”.'}
            />
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="sm" highlightOnHover aria-label="Communities">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th ta="right">Community ID</Table.Th>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Privacy</Table.Th>
                    <Table.Th ta="right">Members</Table.Th>
                    <Table.Th ta="right">Invited</Table.Th>
                    <Table.Th>Landing URL</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td ta="right">
                        <Text ff="monospace" fw={600}>
                          {c.id}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/communities/${c.id}`} fw={500}>
                          {c.name}
                        </Anchor>
                        {c.headline && (
                          <Text size="xs" c="dimmed" lineClamp={1}>
                            {c.headline}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge
                          variant="light"
                          color={privacyWords[c.privacy].color}
                          style={{ flexShrink: 0, minWidth: 'max-content' }}
                        >
                          {privacyWords[c.privacy].label}
                        </Badge>
                      </Table.Td>
                      <Table.Td ta="right">{c.memberCount.toLocaleString()}</Table.Td>
                      <Table.Td ta="right">{c.invitedCount.toLocaleString()}</Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Text
                            size="sm"
                            ff="monospace"
                            truncate
                            maw={260}
                            c={c.landingEnabled ? undefined : 'dimmed'}
                            title={c.landingEnabled ? 'Landing page on' : 'Landing page off'}
                          >
                            {c.landingUrl}
                          </Text>
                          <CopyButton value={c.landingUrl}>
                            {({ copied, copy }) => (
                              <Button size="compact-xs" variant="subtle" onClick={copy}>
                                {copied ? 'Copied' : 'Copy'}
                              </Button>
                            )}
                          </CopyButton>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Button
                          size="compact-sm"
                          variant="default"
                          onClick={() => setEditing(c)}
                          aria-label={`Edit ${c.name}`}
                        >
                          Edit
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
        {list.hasNextPage && (
          <Group justify="center">
            <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              Load more
            </Button>
          </Group>
        )}
      </Stack>
      {editing !== null && (
        <CommunityFormModal
          opened
          onClose={() => setEditing(null)}
          community={editing === 'new' ? undefined : editing}
        />
      )}
    </>
  );
}
