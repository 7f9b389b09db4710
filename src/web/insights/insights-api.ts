/** What the funnel views read: a community's Insights, a Data Tools job's funnel, the site's dashboard. */
import { useQuery } from '@tanstack/react-query';
import type { DataJobFunnelAnswer, FunnelDashboardAnswer, InsightsAnswer } from '../../shared/insights';
import { api } from '../api/client';

export function useCommunityInsights(communityId: number) {
  return useQuery({
    queryKey: ['communities', communityId, 'insights'],
    queryFn: ({ signal }) => api<InsightsAnswer>(`/api/communities/${communityId}/insights`, { signal }),
  });
}

export function useDataJobFunnel(jobId: number) {
  return useQuery({
    queryKey: ['admin', 'data-jobs', jobId, 'funnel'],
    queryFn: ({ signal }) => api<DataJobFunnelAnswer>(`/api/admin/data-jobs/${jobId}/funnel`, { signal }),
  });
}

export function useFunnelDashboard() {
  return useQuery({
    queryKey: ['admin', 'insights'],
    queryFn: ({ signal }) => api<FunnelDashboardAnswer>('/api/admin/insights', { signal }),
  });
}
