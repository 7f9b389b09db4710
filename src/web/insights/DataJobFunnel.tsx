/** A Data Tools job's funnel: what became of the invitations it made. */
import { Paper } from '@mantine/core';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { FunnelView } from './FunnelView';
import { useDataJobFunnel } from './insights-api';

export function DataJobFunnel({ jobId }: { readonly jobId: number }) {
  const funnel = useDataJobFunnel(jobId);
  return (
    <Paper withBorder p="lg" mt="lg">
      {funnel.isPending ? (
        <LoadingState label="Loading the funnel…" minHeight={100} />
      ) : funnel.isError ? (
        <ErrorState error={funnel.error} title="The funnel could not be loaded" onRetry={() => void funnel.refetch()} />
      ) : (
        <FunnelView
          id="job-funnel"
          title="What became of these invitations"
          funnel={funnel.data.funnel}
          weeks={funnel.data.weeks}
          csvHref={`/api/admin/data-jobs/${jobId}/funnel.csv`}
        />
      )}
    </Paper>
  );
}
