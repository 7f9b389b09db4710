import { Alert, Button, Group, Paper, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDataJobAction, type DataJob } from './data-jobs.api';
import { OutcomeTotals } from './OutcomeTotals';
import { formatDateTime } from '../ui/format';
import { formatCount, formatDuration } from './words';

/**
 * Step 5: live progress, polled by `useDataJob` while the job is queued or running. The job runs
 * on the server; leaving this page does not stop it.
 */
export function RunStep({ job }: { readonly job: DataJob }) {
  const { cancel } = useDataJobAction(job.id);
  const total = job.progress?.total ?? job.rowCount;
  const done = Math.min(job.progress?.done ?? 0, total);
  const percent = total > 0 ? (done / total) * 100 : 0;
  const rate = job.progress?.ratePerSecond;
  const canceling = cancel.isSuccess || cancel.isPending;
  const resumeAt = job.waitingToResumeAt;

  return (
    <Stack gap="lg">
      <Paper withBorder radius="md" p="lg">
        <Stack gap="md">
          <Group justify="space-between" align="baseline">
            <Text fw={600} size="lg" data-testid="progress-rows">
              {resumeAt !== null
                ? `Waiting to resume — ${formatCount(done)} of ${formatCount(total)} rows done`
                : job.status === 'queued'
                  ? 'Starting in a moment…'
                  : `${formatCount(done)} of ${formatCount(total)} rows done`}
            </Text>
            <Text c="dimmed">{Math.floor(percent)}%</Text>
          </Group>
          <Progress
            value={percent}
            size="xl"
            radius="xl"
            striped
            animated={job.status === 'running' && resumeAt === null}
            aria-label="Rows done"
          />
          <SimpleGrid cols={3}>
            <Figure label="Rows per second" value={rate ? formatCount(Math.round(rate)) : '—'} />
            {resumeAt !== null ? (
              <Figure
                label="Picked up again"
                value={resumeAt <= Date.now() ? 'any moment now' : formatDateTime(resumeAt)}
              />
            ) : (
              <Figure label="Time left" value={formatDuration(job.progress?.secondsLeft)} />
            )}
            <Figure label="Rows left" value={formatCount(Math.max(0, total - done))} />
          </SimpleGrid>
        </Stack>
      </Paper>

      {job.counters && Object.values(job.counters.outcomes).some((count) => count > 0) && (
        <OutcomeTotals counts={job.counters} columns={job.columns ?? []} tense="log" />
      )}

      {resumeAt !== null && (
        <Alert color="yellow" title="Waiting to resume" role="status" data-testid="waiting-to-resume">
          No worker is running this job right now: the process running it stopped, or a batch failed and is tried again.
          A worker picks it up where it left off
          {resumeAt <= Date.now() ? ' as soon as one is running' : ` at ${formatDateTime(resumeAt)}`}; no row is done
          twice.
        </Alert>
      )}

      <Text size="sm" c="dimmed">
        The job runs on the server. You can leave this page and come back later from Data Tools.
      </Text>

      {cancel.isError && (
        <Alert color="red" title="The job could not be canceled" role="alert">
          {cancel.error.message}
        </Alert>
      )}

      <Group justify="flex-end">
        <Button
          color="red"
          variant="light"
          onClick={() => cancel.mutate()}
          loading={cancel.isPending}
          disabled={canceling}
        >
          {canceling ? 'Stopping after this batch…' : 'Cancel job'}
        </Button>
      </Group>
    </Stack>
  );
}

function Figure({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <div>
      <Text fw={600}>{value}</Text>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </div>
  );
}
