/** `/admin/data-tools`: the site's data jobs, newest first, and the way to start a new one. */
import { Anchor, Button, Center, Paper, Stack, Table, Text } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { CountsSummary } from './CountsSummary';
import { useDataJobs } from './data-jobs.api';
import { JobStatusBadge } from './JobStatusBadge';
import { jobTypeWords } from './words';

export function DataJobsPage() {
  const jobs = useDataJobs();
  const navigate = useNavigate();
  const items = jobs.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title="Data Tools"
        description="Invite, pre-verify, deactivate or reactivate people in bulk from a CSV file."
        actions={
          <Button component={Link} to="/admin/data-tools/new">
            New Job
          </Button>
        }
      />

      {jobs.isPending && <LoadingState label="Loading jobs…" />}
      {jobs.isError && (
        <ErrorState error={jobs.error} title="The jobs could not be loaded" onRetry={() => void jobs.refetch()} />
      )}

      {jobs.isSuccess && items.length === 0 && (
        <Paper withBorder p="xl" radius="md">
          <Stack align="center" gap="xs">
            <Text fw={600}>No jobs yet</Text>
            <Text c="dimmed" size="sm" ta="center" maw={440}>
              A job reads a CSV file and applies it to your site — for example, inviting thousands of people to their
              communities at once. You see what it would do before anything changes.
            </Text>
            <Button mt="sm" variant="light" component={Link} to="/admin/data-tools/new">
              Start your first job
            </Button>
          </Stack>
        </Paper>
      )}

      {items.length > 0 && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={780}>
            <Table highlightOnHover verticalSpacing="sm" horizontalSpacing="sm" data-testid="data-jobs-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Who</Table.Th>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Counts</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((job) => (
                  <Table.Tr
                    key={job.id}
                    style={{ cursor: 'pointer' }}
                    onClick={() => void navigate(`/admin/data-tools/${job.id}`)}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor
                        component={Link}
                        to={`/admin/data-tools/${job.id}`}
                        fw={500}
                        onClick={(event) => event.stopPropagation()}
                      >
                        {jobTypeWords[job.type].short}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" maw={200} truncate="end" title={job.fileName}>
                        {job.name ?? job.fileName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {job.createdBy?.name || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(job.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <JobStatusBadge status={job.status} />
                    </Table.Td>
                    <Table.Td>
                      <CountsSummary job={job} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      {jobs.hasNextPage && (
        <Center mt="md">
          <Button variant="default" loading={jobs.isFetchingNextPage} onClick={() => void jobs.fetchNextPage()}>
            Show older jobs
          </Button>
        </Center>
      )}
    </>
  );
}
