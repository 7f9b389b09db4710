/** A community's Insights tab: its invitation funnel (leaders and site admins). */
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { FunnelView } from './FunnelView';
import { useCommunityInsights } from './insights-api';

export function InsightsPane({ communityId }: { readonly communityId: number }) {
  const insights = useCommunityInsights(communityId);
  if (insights.isPending) return <LoadingState label="Loading the numbers…" />;
  if (insights.isError)
    return (
      <ErrorState error={insights.error} title="Insights could not be loaded" onRetry={() => void insights.refetch()} />
    );
  return (
    <FunnelView
      id="community-funnel"
      title="Invitations"
      funnel={insights.data.funnel}
      weeks={insights.data.weeks}
      csvHref={`/api/communities/${communityId}/insights.csv`}
    />
  );
}
