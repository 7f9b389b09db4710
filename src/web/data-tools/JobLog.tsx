import { Alert, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { formatDateTime } from '../ui/format';
import { resultsCsvUrl, useDataJobAction, type DataJob } from './data-jobs.api';
import { OutcomeTotals } from './OutcomeTotals';
import { ResultsTable } from './ResultsTable';
import { UndoButton } from './UndoButton';
import { formatCount } from './words';

/** Step 6: how the job ended, totals by outcome and reason, every row's fate, and the CSV. */
export function JobLog({ job }: { readonly job: DataJob }) {
  const [filter, setFilter] = useState('');
  const rowsRef = useRef<HTMLDivElement>(null);
  const showReason = (reason: string) => {
    setFilter(`reason:${reason}`);
    rowsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  return (
    <Stack gap="lg">
      <JobEnding job={job} />

      {job.counters && (
        <OutcomeTotals counts={job.counters} columns={job.columns ?? []} tense="log" onShowRows={showReason} />
      )}

      <Paper withBorder radius="md" p="md" ref={rowsRef}>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            Row by row
          </Title>
          <Group gap="sm">
            {job.type === 'invite_to_community' && <UndoButton job={job} />}
            <Button component="a" href={resultsCsvUrl(job.id)} download={`job-${job.id}-log.csv`} variant="light">
              Download CSV
            </Button>
          </Group>
        </Group>
        <ResultsTable job={job} filter={filter} onFilterChange={setFilter} />
      </Paper>
    </Stack>
  );
}

function JobEnding({ job }: { readonly job: DataJob }) {
  const processed = job.progress?.done ?? 0;
  const when = job.startedAt
    ? `Started ${formatDateTime(job.startedAt)}, ended ${formatDateTime(job.finishedAt)}.`
    : '';
  const afterwards =
    (job.counters?.revoked ? ` Undo revoked ${formatCount(job.counters.revoked)} of its invitations.` : '') +
    (job.expiredInvitations
      ? ` ${formatCount(job.expiredInvitations)} of its invitations have since expired unanswered.`
      : '');
  if (job.status === 'completed') {
    return (
      <Alert color="green" variant="light" title={`Completed: all ${formatCount(job.rowCount)} rows processed`}>
        {when}
        {afterwards}
      </Alert>
    );
  }
  if (job.status === 'canceled') {
    return (
      <Alert color="orange" variant="light" title="Canceled">
        {processed > 0
          ? `${formatCount(processed)} of ${formatCount(job.rowCount)} rows were processed before the job stopped; what was done is kept. `
          : 'The job was canceled before it changed anything. '}
        {when}
        {afterwards}
      </Alert>
    );
  }
  if (job.resumable) return <ResumableEnding job={job} processed={processed} />;
  return (
    <Alert color="red" variant="light" title="The job failed" role="alert">
      {job.error ?? 'Something went wrong on the server.'} {formatCount(processed)} of {formatCount(job.rowCount)} rows
      were processed, and what was done is kept.{afterwards}
    </Alert>
  );
}

/** A job stopped for a cause that passes (the server's disk was full): the reason, and Resume. */
function ResumableEnding({ job, processed }: { readonly job: DataJob; readonly processed: number }) {
  const { resume } = useDataJobAction(job.id);
  return (
    <Alert color="red" variant="light" title="The job stopped: the server's disk is full" role="alert">
      <Stack gap="sm" align="flex-start">
        <span data-testid="job-stopped-reason">
          {job.error} {formatCount(processed)} of {formatCount(job.rowCount)} rows are done.
        </span>
        {resume.isError && <span role="status">The job was not resumed: {resume.error.message}</span>}
        <Button onClick={() => resume.mutate()} loading={resume.isPending}>
          Resume job
        </Button>
      </Stack>
    </Alert>
  );
}
