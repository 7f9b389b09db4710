import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { fetchLandingSettings, landingSettingsKey } from './landing-api';
import { LandingSettingsForm } from './LandingSettingsForm';
import { LandingImageCard } from './LandingImageCard';
import { LandingShareCard } from './LandingShareCard';
import { LandingStatsCard } from './LandingStatsCard';

/**
 * The landing section of a community's settings (admins and the community's leaders): the
 * switch, address, words and policy; the logo or cover image; the link and QR code; the numbers. The communities
 * screens embed it as `<LandingSettingsSection communityId={id} />`.
 */
export function LandingSettingsSection({ communityId }: { readonly communityId: number }) {
  const settings = useQuery({
    queryKey: landingSettingsKey(communityId),
    queryFn: ({ signal }) => fetchLandingSettings(communityId, signal),
  });
  if (settings.isPending) return <LoadingState />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => settings.refetch()} />;
  return (
    <Stack gap="lg">
      <LandingSettingsForm key={`${settings.data.slug}`} settings={settings.data} />
      <LandingImageCard settings={settings.data} />
      <LandingShareCard settings={settings.data} />
      <LandingStatsCard communityId={communityId} />
    </Stack>
  );
}
