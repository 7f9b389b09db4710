import { Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { CommunityCards } from '../invitations/CommunityCards';
import { HiddenInvitations } from '../invitations/HiddenInvitations';
import { InvitationList } from '../invitations/InvitationList';
import { useRecommendedCommunities } from '../invitations/invitations-api';
import { useSignedInMe } from '../shell/RequireSignIn';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';

/**
 * `/` — a member's home: Recommended Communities (open invitations, newest first, with Join, Not
 * now and Decline), the invitations hidden by "Not now", their communities, then public
 * communities they might like.
 */
export function HomePage() {
  const me = useSignedInMe();
  const home = useRecommendedCommunities();
  // what a page that sent the person here did (a decline from a community's page)
  const notice = (useLocation().state as { notice?: unknown } | null)?.notice;
  return (
    <>
      <PageHeader
        title={me.firstName ? `Welcome, ${me.firstName}` : 'Welcome'}
        description="Your invitations and communities."
      />
      <Text role="status" size="sm" mb={typeof notice === 'string' ? 'md' : 0} data-testid="home-status">
        {typeof notice === 'string' ? notice : null}
      </Text>
      {home.isPending ? (
        <LoadingState />
      ) : home.isError ? (
        <ErrorState error={home.error} onRetry={() => home.refetch()} />
      ) : (
        <Stack gap="lg">
          <HomeSection
            title="Recommended Communities"
            description="Communities you have been invited to, newest first."
          >
            <InvitationList
              invitations={home.data.invitations}
              empty={{
                title: 'No invitations right now',
                description: 'When someone invites you to a community, it shows up here.',
              }}
            />
          </HomeSection>
          <HomeSection title="Hidden invitations" description="Invitations you set aside with “Not now”.">
            <HiddenInvitations />
          </HomeSection>
          <HomeSection title="My communities" description="Communities you have joined.">
            <CommunityCards
              communities={home.data.communities}
              empty={{ title: 'You have not joined a community yet', description: 'Browse Communities to find one.' }}
            />
          </HomeSection>
          <HomeSection title="You might like" description="Public communities open to every member.">
            <CommunityCards
              communities={home.data.suggestions}
              empty={{ title: 'No suggestions yet', description: 'Suggestions appear as communities are created.' }}
            />
          </HomeSection>
        </Stack>
      )}
    </>
  );
}

function HomeSection({
  title,
  description,
  children,
}: {
  readonly title: string;
  readonly description: string;
  readonly children: ReactNode;
}) {
  const id = `home-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby={id}>
      <Title order={2} size="h4" id={id}>
        {title}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {description}
      </Text>
      {children}
    </Paper>
  );
}
