/** `/admin/feeds`: the site's feeds (a folder whose files run as Data Tools jobs), and the way to make one. */
import { Alert, Anchor, Badge, Button, EmptyState, Group, Modal, Paper, Stack, Table, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { jobTypeWords } from '../data-tools/words';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { emptyFeedForm, formToInput, validateFeedForm } from './feed-form';
import { FeedFields } from './FeedFields';
import { useCreateFeed, useFeeds, useScanFeeds, type Feed, type FeedCreated } from './feeds-api';
import { UploadTokenOnce, uploadUrlOf } from './UploadTokenOnce';

export function OnOffBadge({ feed }: { feed: Feed }) {
  return (
    <Badge color={feed.enabled ? 'green' : 'gray'} variant="light" style={{ minWidth: 'max-content' }}>
      {feed.enabled ? 'On' : 'Off'}
    </Badge>
  );
}

/** "Look now": the server looks into every feed's folder at once instead of waiting for its next round. */
export function LookNowButton() {
  const scan = useScanFeeds();
  return (
    <Stack gap={4} align="flex-end">
      <Button variant="default" loading={scan.isPending} onClick={() => scan.mutate()}>
        Look now
      </Button>
      {scan.data && (
        <Text size="xs" c="dimmed" role="status">
          {scan.data.taken === 1 ? '1 file taken' : `${scan.data.taken} files taken`}
          {scan.data.waiting > 0 ? `, ${scan.data.waiting} still being written` : ''}
        </Text>
      )}
      {scan.isError && (
        <Text size="xs" c="red" role="alert">
          {isApiError(scan.error) ? scan.error.message : 'That did not work.'}
        </Text>
      )}
    </Stack>
  );
}

function CreateFeedButton() {
  const [opened, { open, close }] = useDisclosure(false);
  const [created, setCreated] = useState<FeedCreated | null>(null);
  const create = useCreateFeed();
  const form = useForm({ mode: 'controlled', initialValues: emptyFeedForm(), validate: validateFeedForm });
  const done = () => {
    close();
    setCreated(null);
    form.reset();
    create.reset();
  };
  return (
    <>
      <Button onClick={open}>New feed</Button>
      <Modal opened={opened} onClose={done} title={created ? 'Feed made' : 'New feed'} size="lg">
        {created ? (
          <UploadTokenOnce token={created.uploadToken} uploadUrl={uploadUrlOf(created.feed.uploadPath)} onDone={done} />
        ) : (
          <form onSubmit={form.onSubmit((values) => create.mutate(formToInput(values), { onSuccess: setCreated }))}>
            <Stack>
              <FeedFields form={form} isNew />
              {create.isError && (
                <Alert color="red" role="alert">
                  {isApiError(create.error) ? create.error.message : 'That did not work.'}
                </Alert>
              )}
              <Group justify="flex-end">
                <Button variant="default" onClick={done}>
                  Cancel
                </Button>
                <Button type="submit" loading={create.isPending}>
                  Make feed
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}

export function FeedsPage() {
  const feeds = useFeeds();
  const items = feeds.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Feeds"
        description="Files the institution’s systems drop into a folder (by SFTP, a shared drive or an upload with the feed’s token) run as Data Tools jobs."
        actions={
          <Group>
            <LookNowButton />
            <CreateFeedButton />
          </Group>
        }
      />
      <Paper withBorder>
        {feeds.isPending ? (
          <LoadingState label="Loading feeds…" />
        ) : feeds.isError ? (
          <Stack p="md">
            <ErrorState error={feeds.error} onRetry={() => void feeds.refetch()} />
          </Stack>
        ) : items.length === 0 ? (
          <EmptyState py="xl" title="No feeds" description="Make one with New feed." />
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table verticalSpacing="sm" aria-label="Feeds">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Job type</Table.Th>
                  <Table.Th>Folder</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Last run</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((feed) => (
                  <Table.Tr key={feed.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/feeds/${feed.id}`} size="sm" fw={500}>
                        {feed.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{jobTypeWords[feed.type].short}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {feed.folder}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <OnOffBadge feed={feed} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{feed.lastRunAt === null ? 'Never' : formatDateTime(feed.lastRunAt)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}
