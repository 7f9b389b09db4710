import { Badge, Button, EmptyState, Group, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { stickyActions } from '../ui/sticky-actions';
import { type MemberListState, useCommunityMembers, useMembershipAction } from './communities-api';

/** Members, Leaders or (for managers) join Requests of a community, with the actions that fit. */
export function MemberList({
  communityId,
  state,
  canManage,
}: {
  readonly communityId: number;
  readonly state: Exclude<MemberListState, 'invited'>;
  readonly canManage: boolean;
}) {
  const [q, setQ] = useState('');
  const [term] = useDebouncedValue(q.trim(), 250);
  const list = useCommunityMembers(communityId, state, term);
  const action = useMembershipAction(communityId);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const run = (kind: 'approve' | 'decline' | 'promote' | 'demote', personId: number, done: string) =>
    action.mutate(
      { kind, personId },
      {
        onSuccess: () => notifications.show({ color: 'green', message: done }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            message: isApiError(error) ? error.message : 'That did not work. Try again.',
          }),
      },
    );
  const empty = { joined: 'No members yet', leaders: 'No leaders yet', requested: 'No open requests' }[state];

  return (
    <>
      <TextInput
        placeholder="Search by name or email"
        aria-label="Search people in this list"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        mb="sm"
        maw={360}
      />
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState size="sm" title={term ? 'Nobody matches' : empty} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table
            verticalSpacing="xs"
            aria-label={state === 'requested' ? 'Join requests' : state === 'leaders' ? 'Leaders' : 'Members'}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                {canManage && <Table.Th>Email</Table.Th>}
                <Table.Th>{state === 'requested' ? 'Asked' : 'Joined'}</Table.Th>
                {canManage && (
                  <Table.Th style={stickyActions}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((m) => {
                // someone made by `convene admin add` (or a sign-up not finished) may have no name yet
                const name = `${m.firstName} ${m.lastName}`.trim() || m.email || '(no name yet)';
                return (
                  <Table.Tr key={m.personId}>
                    <Table.Td>
                      <Text size="sm" fw={500} span>
                        {name}
                      </Text>
                      {m.role === 'leader' && state !== 'requested' && (
                        <Badge ml="xs" size="xs" variant="light">
                          Leader
                        </Badge>
                      )}
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Text size="sm">{m.email ?? '—'}</Text>
                      </Table.Td>
                    )}
                    <Table.Td>
                      <Text size="sm">{formatDateTime(state === 'requested' ? m.requestedAt : m.joinedAt)}</Text>
                    </Table.Td>
                    {canManage && (
                      <Table.Td style={stickyActions}>
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          {state === 'requested' ? (
                            <>
                              <Button
                                size="compact-sm"
                                onClick={() => run('approve', m.personId, `${name} joined.`)}
                                aria-label={`Approve ${name}`}
                              >
                                Approve
                              </Button>
                              <Button
                                size="compact-sm"
                                variant="default"
                                onClick={() => run('decline', m.personId, 'Request declined.')}
                                aria-label={`Decline ${name}`}
                              >
                                Decline
                              </Button>
                            </>
                          ) : m.role === 'leader' ? (
                            <Button
                              size="compact-sm"
                              variant="default"
                              onClick={() => run('demote', m.personId, `${name} is no longer a leader.`)}
                              aria-label={`Remove as leader: ${name}`}
                            >
                              Remove as leader
                            </Button>
                          ) : (
                            <Button
                              size="compact-sm"
                              variant="default"
                              onClick={() => run('promote', m.personId, `${name} is now a leader.`)}
                              aria-label={`Make leader: ${name}`}
                            >
                              Make leader
                            </Button>
                          )}
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Group justify="center" mt="sm">
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Load more
          </Button>
        </Group>
      )}
    </>
  );
}
