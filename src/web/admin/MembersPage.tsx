import {
  Anchor,
  Badge,
  Button,
  Checkbox,
  EmptyState,
  Group,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { personTabs, type PersonTab } from '../../shared/people';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { AddPersonButton } from './AddPersonButton';
import { ApproveSelectedBar } from './ApproveSelectedBar';
import { MemberTypesButton } from './MemberTypesButton';
import { originWords, statusWords, usePeople } from './people-api';

const tabLabels: Record<PersonTab, string> = {
  active: 'Active',
  pending: 'Pending',
  invited: 'Invited',
  pre_verified: 'Pre-Verified',
  admins: 'Admins',
  inactive: 'Inactive',
};

/**
 * /admin/members — the Members tabs with counts, search by name, email or any ID, paging, CSV
 * export; on the Pending tab, where each person came from and approving many at once.
 */
export function MembersPage() {
  const [params, setParams] = useSearchParams();
  const tab = (personTabs as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as PersonTab)
    : 'active';
  const [q, setQ] = useState(params.get('q') ?? '');
  const [term] = useDebouncedValue(q.trim(), 250);
  const people = usePeople(tab, term);
  const counts = people.data?.pages[0]?.counts;
  const items = people.data?.pages.flatMap((p) => p.items) ?? [];
  const pending = tab === 'pending';
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number, on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allSelected = items.length > 0 && items.every((p) => selected.has(p.id));
  const someSelected = items.some((p) => selected.has(p.id));
  const csvUrl = `/api/admin/people.csv?status=${tab}${term ? `&q=${encodeURIComponent(term)}` : ''}`;

  return (
    <>
      <PageHeader
        title="Members"
        description="Everyone the site knows, by status. Search by name, email, Unique ID, Pre-verification ID or Profile ID."
        actions={
          <>
            <MemberTypesButton />
            <Button component="a" href={csvUrl} variant="default" download>
              Export CSV
            </Button>
            <AddPersonButton />
          </>
        }
      />
      <Tabs
        value={tab}
        onChange={(value) => {
          setSelected(new Set());
          setParams(value ? { tab: value } : {}, { replace: true });
        }}
        mb="md"
      >
        <Tabs.List>
          {personTabs.map((t) => (
            <Tabs.Tab
              key={t}
              value={t}
              rightSection={
                <Badge size="sm" variant="light" color="gray">
                  {counts ? counts[t].toLocaleString() : '…'}
                </Badge>
              }
            >
              {tabLabels[t]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Stack gap="md">
        <TextInput
          placeholder="Search by name, email or ID"
          aria-label="Search members"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          maw={420}
        />
        {pending && (
          <ApproveSelectedBar
            selected={items.filter((p) => selected.has(p.id)).map((p) => p.id)}
            people={items}
            onDone={() => setSelected(new Set())}
          />
        )}
        <Paper withBorder>
          {people.isPending ? (
            <LoadingState label="Loading members…" />
          ) : people.isError ? (
            <Stack p="md">
              <ErrorState error={people.error} onRetry={() => void people.refetch()} />
            </Stack>
          ) : items.length === 0 ? (
            <EmptyState
              py="xl"
              title={term ? 'Nobody matches' : `No ${tabLabels[tab].toLowerCase()} people`}
              description={
                term ? 'Try part of a name, an email or an ID.' : 'People appear here as their status changes.'
              }
            />
          ) : (
            <Table.ScrollContainer minWidth={860}>
              <Table verticalSpacing="sm" highlightOnHover aria-label={`${tabLabels[tab]} members`}>
                <Table.Thead>
                  <Table.Tr>
                    {pending && (
                      <Table.Th w={40}>
                        <Checkbox
                          aria-label="Select every pending person shown"
                          checked={allSelected}
                          indeterminate={someSelected && !allSelected}
                          onChange={(e) => {
                            const on = e.currentTarget.checked;
                            setSelected(on ? new Set(items.map((p) => p.id)) : new Set());
                          }}
                        />
                      </Table.Th>
                    )}
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Email</Table.Th>
                    {pending && <Table.Th>Came from</Table.Th>}
                    <Table.Th>Unique ID</Table.Th>
                    <Table.Th ta="right">Pre-verification ID</Table.Th>
                    <Table.Th ta="right">Profile ID</Table.Th>
                    <Table.Th>Member type</Table.Th>
                    <Table.Th w={130}>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((p) => (
                    <Table.Tr key={p.id} bg={selected.has(p.id) ? 'var(--mantine-primary-color-light)' : undefined}>
                      {pending && (
                        <Table.Td>
                          <Checkbox
                            aria-label={`Select ${`${p.firstName} ${p.lastName}`.trim() || p.email || `Profile ID ${p.id}`}`}
                            checked={selected.has(p.id)}
                            onChange={(e) => toggle(p.id, e.currentTarget.checked)}
                          />
                        </Table.Td>
                      )}
                      <Table.Td>
                        <Anchor component={Link} to={`/admin/members/${p.id}`} fw={500}>
                          {`${p.firstName} ${p.lastName}`.trim() || '(no name yet)'}
                        </Anchor>
                        {p.isAdmin && (
                          <Badge ml="xs" size="xs" variant="outline">
                            Admin
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{p.email ?? '—'}</Text>
                      </Table.Td>
                      {pending && (
                        <Table.Td>
                          <Text size="sm">{p.origin ? originWords(p.origin) : '—'}</Text>
                        </Table.Td>
                      )}
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {p.uniqueId ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm" ff="monospace">
                          {p.preverificationId ?? '—'}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm" ff="monospace">
                          {p.id}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{p.memberType ?? '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={statusWords[p.status].color} style={{ minWidth: 'max-content' }}>
                          {statusWords[p.status].label}
                        </Badge>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
        {people.hasNextPage && (
          <Group justify="center">
            <Button variant="default" onClick={() => void people.fetchNextPage()} loading={people.isFetchingNextPage}>
              Load more
            </Button>
          </Group>
        )}
      </Stack>
    </>
  );
}
