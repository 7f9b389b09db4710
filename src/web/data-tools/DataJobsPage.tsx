/** `/admin/data-tools`: the site's data jobs, newest first, and the way to start a new one. */
import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { Link, useNavigate } from 'react-router';
import { CountsSummary } from './CountsSummary';
import { useDataJobs } from './data-jobs.api';
import { JobStatusBadge } from './JobStatusBadge';
import { formatWhen, jobTypeWords } from './words';

export function DataJobsPage() {
  const jobs = useDataJobs();
  const navigate = useNavigate();
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Data Tools</Title>
          <Text c="dimmed" size="sm">
            Invite, pre-verify, deactivate or reactivate people in bulk from a CSV file.
          </Text>
        </div>
        <Button component={Link} to="/admin/data-tools/new">
          New Job
        </Button>
      </Group>

      {jobs.isPending && (
        <Group gap="xs">
          <Loader size="sm" />
          <Text c="dimmed">Loading jobs…</Text>
        </Group>
      )}

      {jobs.isError && (
        <Alert color="red" title="The jobs could not be loaded">
          {jobs.error.message}{' '}
          <Anchor component="button" onClick={() => void jobs.refetch()}>
            Try again
          </Anchor>
        </Alert>
      )}

      {jobs.data?.length === 0 && (
        <Paper withBorder p="xl" radius="md">
          <Stack align="center" gap="xs">
            <Text fw={600}>No jobs yet</Text>
            <Text c="dimmed" size="sm" ta="center" maw={420}>
              A job reads a CSV file and applies it to your site — for example, inviting thousands of people to their
              communities at once.
            </Text>
            <Button mt="sm" variant="light" component={Link} to="/admin/data-tools/new">
              Start your first job
            </Button>
          </Stack>
        </Paper>
      )}

      {jobs.data && jobs.data.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="data-jobs-table">
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
              {jobs.data.map((job) => (
                <Table.Tr key={job.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/admin/data-tools/${job.id}`)}>
                  <Table.Td>
                    <Anchor component={Link} to={`/admin/data-tools/${job.id}`} onClick={(event) => event.stopPropagation()}>
                      {jobTypeWords[job.type].label}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" maw={220} truncate="end" title={job.fileName}>
                      {job.fileName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{job.createdBy?.name ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatWhen(job.createdAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
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
      )}
    </Stack>
  );
}
