import {
  Button,
  Center,
  EmptyState,
  Group,
  NativeSelect,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@mantine/core';
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
  const log = useEmailLog(state);
  const [openId, setOpenId] = useState<number | null>(null);
  const setState = (value: string) => setParams(value === 'all' ? {} : { state: value }, { replace: true });
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];

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
              title={state ? `No ${state} emails` : 'No emails yet'}
              description={
                state
                  ? 'Choose another state to see more.'
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
