/**
 * `/admin/feeds/:id`: one feed — its settings (change, switch off, a new upload token, delete) and
 * its runs, one per file taken, each linked to its Data Tools job.
 */
import {
  Alert,
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { FeedRunStatus } from '../../shared/feeds';
import { isApiError } from '../api/client';
import { byOutcomeOrder, formatCount, jobTypeWords, outcomeLabel, statusWords } from '../data-tools/words';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { stickyActions } from '../ui/sticky-actions';
import { feedToForm, formToInput, notifyWords, validateFeedForm } from './feed-form';
import { FeedFields } from './FeedFields';
import {
  useChangeFeed,
  useDeleteFeed,
  useFeed,
  useFeedRuns,
  useRenewUploadToken,
  type Feed,
  type FeedRun,
} from './feeds-api';
import { LookNowButton, OnOffBadge } from './FeedsPage';
import { UploadTokenOnce, uploadUrlOf } from './UploadTokenOnce';

export const runStatusWords: Readonly<Record<FeedRunStatus, { label: string; color: string }>> = {
  taking: { label: 'Reading the file', color: 'blue' },
  skipped_empty: { label: 'Empty file, skipped', color: 'gray' },
  waiting_review: { label: 'Waiting for review', color: 'orange' },
  running: { label: 'Running', color: 'blue' },
  finished: { label: 'Finished', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
};

function RunStatus({ run }: { run: FeedRun }) {
  const words = runStatusWords[run.status];
  return (
    <Stack gap={2}>
      <Badge color={words.color} variant="light" style={{ minWidth: 'max-content' }}>
        {words.label}
      </Badge>
      {run.status === 'finished' && run.jobStatus && run.jobStatus !== 'completed' && (
        <Text size="xs" c="dimmed">
          Job: {statusWords[run.jobStatus].label}
        </Text>
      )}
    </Stack>
  );
}

function RunCounts({ run }: { run: FeedRun }) {
  const parts = byOutcomeOrder(Object.entries(run.counters?.outcomes ?? {}))
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${formatCount(count)} ${outcomeLabel(outcome).toLowerCase()}`);
  if (parts.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {run.rows === null ? '—' : `${formatCount(run.rows)} ${run.rows === 1 ? 'record' : 'records'}`}
      </Text>
    );
  return (
    <Stack gap={0}>
      {parts.map((part) => (
        <Text key={part} size="sm" style={{ whiteSpace: 'nowrap' }}>
          {part}
        </Text>
      ))}
    </Stack>
  );
}

function Runs({ feed }: { feed: Feed }) {
  const runs = useFeedRuns(feed.id);
  const items = runs.data?.items ?? [];
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm" align="flex-start">
        <Title order={2} size="h4">
          Runs
        </Title>
        <LookNowButton />
      </Group>
      {runs.isPending ? (
        <LoadingState label="Loading runs…" />
      ) : runs.isError ? (
        <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          py="lg"
          title="No runs yet"
          description={`A file dropped into the folder ${feed.folder} is taken once it stops changing.`}
        />
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table verticalSpacing="xs" aria-label="Runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Received</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Rows</Table.Th>
                <Table.Th style={stickyActions}>Data Tools job</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((run) => (
                <Table.Tr key={run.id} data-testid="feed-run">
                  <Table.Td>
                    <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
                      {run.fileName}
                    </Text>
                    {run.error && (
                      <Text size="xs" c="red">
                        {run.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(run.takenAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <RunStatus run={run} />
                  </Table.Td>
                  <Table.Td>
                    <RunCounts run={run} />
                  </Table.Td>
                  <Table.Td style={stickyActions}>
                    {run.dataJobId === null ? (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    ) : (
                      <Anchor component={Link} to={`/admin/data-tools/${run.dataJobId}`} size="sm">
                        {run.status === 'waiting_review' ? `Review job ${run.dataJobId}` : `Job ${run.dataJobId}`}
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function EditFeedButton({ feed }: { feed: Feed }) {
  const [opened, { open, close }] = useDisclosure(false);
  const change = useChangeFeed(feed.id);
  const form = useForm({ mode: 'controlled', initialValues: feedToForm(feed), validate: validateFeedForm });
  const start = () => {
    form.setValues(feedToForm(feed));
    form.resetDirty();
    change.reset();
    open();
  };
  return (
    <>
      <Button variant="default" onClick={start}>
        Edit
      </Button>
      <Modal opened={opened} onClose={close} title="Edit the feed" size="lg">
        <form
          onSubmit={form.onSubmit((values) => {
            const { type: _type, ...patch } = formToInput(values);
            change.mutate(patch, { onSuccess: close });
          })}
        >
          <Stack>
            <FeedFields form={form} isNew={false} />
            {change.isError && (
              <Alert color="red" role="alert">
                {isApiError(change.error) ? change.error.message : 'That did not work.'}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={change.isPending}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

function NewTokenButton({ feed }: { feed: Feed }) {
  const [opened, { open, close }] = useDisclosure(false);
  const renew = useRenewUploadToken(feed.id);
  const [token, setToken] = useState<string | null>(null);
  const done = () => {
    close();
    setToken(null);
    renew.reset();
  };
  return (
    <>
      <Button variant="default" onClick={open}>
        New upload token
      </Button>
      <Modal opened={opened} onClose={done} title={token ? 'New upload token' : 'Make a new upload token?'}>
        {token ? (
          <UploadTokenOnce token={token} uploadUrl={uploadUrlOf(feed.uploadPath)} onDone={done} />
        ) : (
          <Stack>
            <Text size="sm">
              Scripts using the feed’s current upload token stop working at once. Files dropped into the folder are
              still taken.
            </Text>
            {renew.isError && (
              <Alert color="red" role="alert">
                {isApiError(renew.error) ? renew.error.message : 'That did not work.'}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={done}>
                Cancel
              </Button>
              <Button
                color="orange"
                loading={renew.isPending}
                onClick={() => renew.mutate(undefined, { onSuccess: (r) => setToken(r.uploadToken) })}
              >
                Make a new token
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

function DeleteFeedButton({ feed }: { feed: Feed }) {
  const [opened, { open, close }] = useDisclosure(false);
  const remove = useDeleteFeed(feed.id);
  const navigate = useNavigate();
  return (
    <>
      <Button color="red" variant="light" onClick={open}>
        Delete
      </Button>
      <Modal opened={opened} onClose={close} title="Delete this feed?">
        <Stack>
          <Text size="sm">
            <strong>{feed.name}</strong> stops taking files and its list of runs is deleted. The Data Tools jobs its
            files made stay, with their logs.
          </Text>
          {remove.isError && (
            <Alert color="red" role="alert">
              {isApiError(remove.error) ? remove.error.message : 'That did not work.'}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate(undefined, { onSuccess: () => void navigate('/admin/feeds') })}
            >
              Delete feed
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function Settings({ feed }: { feed: Feed }) {
  const change = useChangeFeed(feed.id);
  const columns = Object.entries(feed.mapping)
    .filter(([name, value]) => name.endsWith('Column') && value !== null && value !== undefined && value !== '')
    .map(([, value]) => String(value));
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group gap="xs">
          <OnOffBadge feed={feed} />
          <Text size="sm">{jobTypeWords[feed.type].label}</Text>
        </Group>
        <Text size="sm">
          <strong>Folder:</strong> <code>{feed.folder}</code>
        </Text>
        <Text size="sm">
          <strong>Columns:</strong> {columns.join(', ') || '—'} {feed.hasHeader ? '' : '(no header row)'}
        </Text>
        <Text size="sm">
          <strong>Empty file:</strong> {feed.skipEmpty ? 'skipped' : 'a failed run'}
        </Text>
        <Text size="sm">
          <strong>Review:</strong>{' '}
          {feed.reviewAbovePercent === null
            ? 'always runs'
            : `waits for an admin when the dry run refuses more than ${feed.reviewAbovePercent}% of rows`}
        </Text>
        <Text size="sm">
          <strong>Email admins:</strong> {notifyWords[feed.notify]}
        </Text>
        <Text size="sm" style={{ wordBreak: 'break-all' }}>
          <strong>Upload address:</strong> <code>PUT {uploadUrlOf(feed.uploadPath)}</code>
        </Text>
        {change.isError && (
          <Alert color="red" role="alert">
            {isApiError(change.error) ? change.error.message : 'That did not work.'}
          </Alert>
        )}
        <Group gap="xs" mt="xs">
          <EditFeedButton feed={feed} />
          <Button
            variant="default"
            loading={change.isPending}
            onClick={() => change.mutate({ enabled: !feed.enabled })}
          >
            {feed.enabled ? 'Switch off' : 'Switch on'}
          </Button>
          <NewTokenButton feed={feed} />
          <DeleteFeedButton feed={feed} />
        </Group>
      </Stack>
    </Paper>
  );
}

export function FeedPage() {
  const id = Number(useParams().id);
  const feed = useFeed(id);
  return (
    <>
      <Anchor component={Link} to="/admin/feeds" size="sm">
        ← Feeds
      </Anchor>
      {feed.isPending && <LoadingState label="Loading the feed…" />}
      {feed.isError &&
        (isApiError(feed.error, 'not_found', 'validation_failed') ? (
          <Alert color="gray" title="No such feed" mt="md">
            This feed does not exist.{' '}
            <Anchor component={Link} to="/admin/feeds" fz="inherit">
              See all feeds
            </Anchor>
          </Alert>
        ) : (
          <ErrorState error={feed.error} title="The feed could not be loaded" onRetry={() => void feed.refetch()} />
        ))}
      {feed.data && (
        <>
          <PageHeader title={feed.data.name} description="The feed’s settings and the files it has taken." />
          <Stack>
            <Settings feed={feed.data} />
            <Runs feed={feed.data} />
          </Stack>
        </>
      )}
    </>
  );
}
