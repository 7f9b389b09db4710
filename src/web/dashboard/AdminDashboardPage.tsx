import { Anchor, Button, Grid, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { JobStatusBadge } from '../data-tools/JobStatusBadge';
import { jobTypeWords } from '../data-tools/words';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { useFailedEmails, usePeopleCounts, useRecentDataJobs } from './dashboard-api';
import { StatCard } from './StatCard';
import { SiteFunnel } from '../insights/SiteFunnel';

/** /admin — the site at a glance: people per status, the newest data jobs, emails that failed, the invitation funnel. */
export function AdminDashboardPage() {
  const counts = usePeopleCounts();
  const jobs = useRecentDataJobs();
  const failed = useFailedEmails();
  const c = counts.data;
  return (
    <>
      <PageHeader
        title="Admin"
        description="Your site at a glance."
        actions={
          <>
            <Button variant="default" component={Link} to="/admin/communities">
              Manage communities
            </Button>
            <Button component={Link} to="/admin/data-tools/new">
              New data job
            </Button>
          </>
        }
      />
      <Stack gap="lg">
        <section aria-labelledby="dashboard-members">
          <Title order={2} size="h4" mb="sm" id="dashboard-members">
            Members
          </Title>
          {counts.isError ? (
            <ErrorState
              error={counts.error}
              title="Member counts could not be loaded"
              onRetry={() => void counts.refetch()}
            />
          ) : (
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
              <StatCard label="Active" value={c?.active} to="/admin/members?tab=active" />
              <StatCard
                label="Pending"
                value={c?.pending}
                to="/admin/members?tab=pending"
                attention="Waiting for approval"
              />
              <StatCard label="Invited" value={c?.invited} to="/admin/members?tab=invited" />
              <StatCard label="Pre-Verified" value={c?.pre_verified} to="/admin/members?tab=pre_verified" />
              <StatCard label="Inactive" value={c?.inactive} to="/admin/members?tab=inactive" />
              <StatCard label="Admins" value={c?.admins} to="/admin/members?tab=admins" />
            </SimpleGrid>
          )}
        </section>
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Paper withBorder p="lg" h="100%" component="section" aria-labelledby="dashboard-jobs">
              <Group justify="space-between" mb="sm">
                <Title order={2} size="h4" id="dashboard-jobs">
                  Recent data jobs
                </Title>
                <Anchor component={Link} to="/admin/data-tools" size="sm">
                  All jobs
                </Anchor>
              </Group>
              {jobs.isPending ? (
                <LoadingState label="Loading jobs…" minHeight={100} />
              ) : jobs.isError ? (
                <ErrorState
                  error={jobs.error}
                  title="Data jobs could not be loaded"
                  onRetry={() => void jobs.refetch()}
                />
              ) : jobs.data.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No data jobs yet. Bulk invitations, pre-verification and (de)activation run from a CSV file.
                </Text>
              ) : (
                <Table verticalSpacing="xs" aria-label="Recent data jobs">
                  <Table.Tbody>
                    {jobs.data.map((job) => (
                      <Table.Tr key={job.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/admin/data-tools/${job.id}`} size="sm" fw={500}>
                            {jobTypeWords[job.type]?.label ?? job.type}
                          </Anchor>
                          <Text size="xs" c="dimmed" truncate maw={280}>
                            {job.fileName} · {job.rowCount.toLocaleString()} rows
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <JobStatusBadge status={job.status} />
                        </Table.Td>
                        <Table.Td ta="right">
                          <Text size="xs" c="dimmed">
                            {formatDateTime(job.createdAt)}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Paper withBorder p="lg" h="100%" component="section" aria-labelledby="dashboard-email">
              <Group justify="space-between" mb="sm">
                <Title order={2} size="h4" id="dashboard-email">
                  Email
                </Title>
                <Anchor component={Link} to="/admin/emails" size="sm">
                  Email log
                </Anchor>
              </Group>
              {failed.isPending ? (
                <LoadingState label="Loading…" minHeight={100} />
              ) : failed.isError ? (
                <ErrorState
                  error={failed.error}
                  title="The email log could not be loaded"
                  onRetry={() => void failed.refetch()}
                />
              ) : failed.data.count === 0 ? (
                <Text size="sm">No failed emails.</Text>
              ) : (
                <Stack gap={4}>
                  <Text fz={28} fw={700} c="red.7">
                    {failed.data.count}
                    {failed.data.more ? '+' : ''}
                  </Text>
                  <Text size="sm">
                    {failed.data.count === 1 && !failed.data.more ? 'email failed' : 'emails failed'} to be delivered.
                  </Text>
                  <Anchor component={Link} to="/admin/emails?state=failed" size="sm">
                    See why
                  </Anchor>
                </Stack>
              )}
            </Paper>
          </Grid.Col>
        </Grid>
        <SiteFunnel />
      </Stack>
    </>
  );
}
