/**
 * `/admin/data-tools/:id`: one job, at whatever step it is — mapping and review while it waits,
 * live progress while it runs, the log once it ended. The status decides, so an admin who leaves
 * and comes back lands on the right step.
 */
import { Alert, Anchor, Button, Group } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { DataJobFunnel } from '../insights/DataJobFunnel';
import { isActive, useDataJob, useDataJobAction, type DataJob } from './data-jobs.api';
import { InviteeEmailPanel } from './InviteeEmailPanel';
import { JobLog } from './JobLog';
import { JobStatusBadge } from './JobStatusBadge';
import { MappingStep } from './MappingStep';
import { ReviewStep } from './ReviewStep';
import { RunStep } from './RunStep';
import { WizardStepper } from './WizardStepper';
import { jobTypeWords } from './words';

export function DataJobPage() {
  const id = Number(useParams().id);
  const job = useDataJob(id);

  return (
    <>
      <Anchor component={Link} to="/admin/data-tools" size="sm">
        ← Data Tools
      </Anchor>
      {job.isPending && <LoadingState label="Loading the job…" />}
      {job.isError &&
        (isApiError(job.error, 'not_found', 'validation_failed') ? (
          <Alert color="gray" title="No such job" mt="md">
            This job does not exist.{' '}
            <Anchor component={Link} to="/admin/data-tools" fz="inherit">
              See all jobs
            </Anchor>
          </Alert>
        ) : (
          <ErrorState error={job.error} title="The job could not be loaded" onRetry={() => void job.refetch()} />
        ))}
      {job.data && <JobSteps job={job.data} />}
    </>
  );
}

function JobSteps({ job }: { readonly job: DataJob }) {
  const [changingMapping, setChangingMapping] = useState(false);
  const navigate = useNavigate();
  const { cancel } = useDataJobAction(job.id);
  const cancelJob = () => cancel.mutate(undefined, { onSuccess: () => void navigate('/admin/data-tools') });

  let active: number;
  let body;
  if (job.status === 'uploaded' || (job.status === 'mapped' && changingMapping)) {
    active = 2;
    body = <MappingStep job={job} onCancel={cancelJob} onMapped={() => setChangingMapping(false)} />;
  } else if (job.status === 'mapped') {
    active = 3;
    body = <ReviewStep job={job} onChangeMapping={() => setChangingMapping(true)} onCancel={cancelJob} />;
  } else if (isActive(job.status)) {
    active = 4;
    body = <RunStep job={job} />;
  } else {
    active = 6;
    body = <JobLog job={job} />;
  }

  return (
    <>
      <PageHeader
        title={jobTypeWords[job.type].label}
        description={
          <Group gap="xs" component="span">
            <JobStatusBadge status={job.status} />
            <span>
              {job.name ? `${job.name} · ` : ''}
              {job.fileName} · uploaded {formatDateTime(job.createdAt)}
              {job.createdBy?.name ? ` by ${job.createdBy.name}` : ''}
            </span>
          </Group>
        }
        actions={
          active === 6 && (
            <Button component={Link} to="/admin/data-tools/new" variant="light">
              New Job
            </Button>
          )
        }
      />
      {cancel.isError && (
        <Alert color="red" title="The job could not be canceled" role="alert" mb="md">
          {cancel.error.message}
        </Alert>
      )}
      <WizardStepper
        active={active}
        runEnded={job.status === 'failed' || job.status === 'canceled' ? job.status : undefined}
      >
        {body}
      </WizardStepper>
      {active === 6 && job.type === 'invite_to_community' && <DataJobFunnel jobId={job.id} />}
      {job.type === 'invite_to_community' && (job.status === 'completed' || job.status === 'canceled') && (
        <InviteeEmailPanel job={job} />
      )}
    </>
  );
}
