/** The admin dashboard's invitation funnel: the site's totals and weeks, per community and per inviter. */
import { Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { FunnelTable, FunnelView } from './FunnelView';
import { useFunnelDashboard } from './insights-api';

export function SiteFunnel() {
  const dashboard = useFunnelDashboard();
  return (
    <Paper withBorder p="lg">
      {dashboard.isPending ? (
        <LoadingState label="Loading the funnel…" minHeight={100} />
      ) : dashboard.isError ? (
        <ErrorState
          error={dashboard.error}
          title="The invitation funnel could not be loaded"
          onRetry={() => void dashboard.refetch()}
        />
      ) : (
        <Stack gap="lg">
          <FunnelView
            id="site-funnel"
            title="Invitations"
            funnel={dashboard.data.funnel}
            weeks={dashboard.data.weeks}
            csvHref="/api/admin/insights.csv"
          />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <section aria-labelledby="funnel-communities">
              <Title order={3} size="h5" mb="xs" id="funnel-communities">
                Per community (most invitations first)
              </Title>
              <FunnelTable label="Invitation funnel per community" rows={dashboard.data.communities} />
            </section>
            <section aria-labelledby="funnel-inviters">
              <Title order={3} size="h5" mb="xs" id="funnel-inviters">
                Per inviter (most invitations first)
              </Title>
              <FunnelTable label="Invitation funnel per inviter" rows={dashboard.data.inviters} />
            </section>
          </SimpleGrid>
        </Stack>
      )}
    </Paper>
  );
}
