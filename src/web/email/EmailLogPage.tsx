import {
  Button,
  Center,
  EmptyState,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { outboxStates, type OutboxState } from '../../shared/enums';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { useEmailLog } from './email-api';
import { EmailStateBadge } from './EmailStateBadge';
import { EmailViewModal } from './EmailViewModal';
import { MailServerBanner } from './MailServerBanner';
import { SendTestEmailButton } from './SendTestEmailButton';

const filters = [
  { value: 'all', label: 'All' },
  ...outboxStates.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) })),
];

/** /admin/emails — every email the site sent or tried to send; kept emails can be read here. */
export function EmailLogPage() {
  const [params, setParams] = useSearchParams();
  const stateParam = params.get('state');
  const state = outboxStates.includes(stateParam as OutboxState) ? (stateParam as OutboxState) : undefined;
  const kind = params.get('kind') || undefined;
  const [search, setSearch] = useState(params.get('to') ?? '');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const to = debouncedSearch || undefined;
  const log = useEmailLog({ state, kind, to });
  const [openId, setOpenId] = useState<number | null>(null);
  const setParam = (name: 'state' | 'kind', value: string | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  const setState = (value: string) => setParam('state', value === 'all' ? undefined : value);
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];
  const kinds = log.data?.pages[0]?.kinds ?? (kind ? [kind] : []);
  const filtered = state !== undefined || kind !== undefined || to !== undefined;

  return (
    <>
      <PageHeader
        title="Email log"
        description="Every email Convene sent or tried to send, newest first. Where no mail server is set up, emails are kept here to read."
        actions={
          <>
            <SendTestEmailButton />
            <Button
              variant="default"
              onClick={() => void log.refetch()}
              loading={log.isRefetching && !log.isFetchingNextPage}
            >
              Refresh
            </Button>
          </>
        }
      />
      <Stack gap="md">
        <MailServerBanner transport={log.data?.pages[0]?.transport} />
        <Group align="flex-end" gap="md" wrap="wrap">
          <TextInput
            label="Recipient"
            placeholder="Search by address"
            type="search"
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            w={{ base: '100%', sm: 280 }}
          />
          <Select
            label="Kind"
            placeholder="All kinds"
            data={kinds}
            value={kind ?? null}
            onChange={(value) => setParam('kind', value ?? undefined)}
            clearable
            w={{ base: '100%', sm: 240 }}
          />
        </Group>
        <SegmentedControl
          aria-label="Show emails in state"
          data={filters}
          value={state ?? 'all'}
          onChange={setState}
          w="fit-content"
          visibleFrom="sm"
        />
        <NativeSelect
          label="Show emails in state"
          data={filters}
          value={state ?? 'all'}
          onChange={(event) => setState(event.currentTarget.value)}
          hiddenFrom="sm"
        />
        <Paper withBorder>
          {log.isPending ? (
            <LoadingState label="Loading emails…" />
          ) : log.isError ? (
            <Stack p="md">
              <ErrorState
                error={log.error}
                title="The email log could not be loaded"
                onRetry={() => void log.refetch()}
              />
            </Stack>
          ) : items.length === 0 ? (
            <EmptyState
              py="xl"
              title={filtered ? 'No emails match' : 'No emails yet'}
              description={
                filtered
                  ? 'Change the search, the kind or the state to see more.'
                  : 'Emails appear here as soon as Convene sends a sign-in code or an invitation.'
              }
            />
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table verticalSpacing="sm" highlightOnHover aria-label="Emails">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>To</Table.Th>
                    <Table.Th>Subject</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th ta="right">Attempts</Table.Th>
                    <Table.Th>Created</Table.Th>
                    <Table.Th>Sent</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((email) => (
                    <Table.Tr key={email.id}>
                      <Table.Td>
                        <Text size="sm" truncate maw={220}>
                          {email.to}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" fw={500} lineClamp={1}>
                          {email.subject}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {email.template}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <EmailStateBadge state={email.state} />
                        {email.lastError && (
                          <Text size="xs" c="red.7" lineClamp={2} maw={220} mt={4} title={email.lastError}>
                            {email.lastError}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td ta="right">{email.attempts}</Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Text size="sm" c="dimmed">
                          {formatDateTime(email.createdAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        <Text size="sm" c="dimmed">
                          {formatDateTime(email.sentAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => setOpenId(email.id)}
                          aria-label={`View email to ${email.to}: ${email.subject}`}
                        >
                          View
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Paper>
        {log.hasNextPage && (
          <Center>
            <Button variant="default" onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
              Load more
            </Button>
          </Center>
        )}
        {log.isFetchNextPageError && (
          <ErrorState
            error={log.error}
            title="More emails could not be loaded"
            onRetry={() => void log.fetchNextPage()}
          />
        )}
        {items.length > 0 && (
          <Group justify="flex-end">
            <Text size="xs" c="dimmed">
              {items.length} shown
            </Text>
          </Group>
        )}
      </Stack>
      <EmailViewModal id={openId} onClose={() => setOpenId(null)} />
    </>
  );
}
