import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { InvitationAnswerButtons } from '../invitations/InvitationAnswerButtons';
import { InsightsPane } from '../insights/InsightsPane';
import { InviteButton } from '../invitations/InviteButton';
import { InvitedList } from '../invitations/InvitedList';
import { LandingSettingsSection } from '../landing/LandingSettingsSection';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { type CommunityDetail, privacyWords, useCommunity } from './communities-api';
import { CommunityFormModal } from './CommunityFormModal';
import { JoinButton } from './JoinButton';
import { MemberList } from './MemberList';
import { isApiError, useMe } from '../api/client';
import { ExpiredInvitationNotice } from './ExpiredInvitationNotice';

type Pane = 'about' | 'members' | 'insights' | 'settings';

/** /communities/:id — About · Members (Members, Leaders, Requests, Invited; + invite) · Insights · Settings. */
export function CommunityPage() {
  const id = Number(useParams().id);
  const community = useCommunity(id);
  const [params, setParams] = useSearchParams();
  const [notice, setNotice] = useState<string | null>(null);
  if (community.isPending) return <LoadingState />;
  if (isApiError(community.error, 'invitation_expired'))
    return <ExpiredInvitationNotice communityName="" join={null} message={community.error.message} />;
  if (community.isError) return <ErrorState error={community.error} title="This community could not be opened" />;
  const c = community.data;
  const pane = (['about', 'members', 'insights', 'settings'] as const).includes(params.get('tab') as Pane)
    ? (params.get('tab') as Pane)
    : 'about';
  return (
    <>
      <PageHeader
        title={c.name}
        description={
          <Group gap="xs" component="span">
            <Badge variant="light" color={privacyWords[c.privacy].color}>
              {privacyWords[c.privacy].label}
            </Badge>
            <Text span size="sm" c="dimmed">
              {c.headline}
            </Text>
          </Group>
        }
        actions={
          <>
            {(c.myState === 'invited' || c.myState === 'dismissed') && (
              <InvitationAnswerButtons community={c} state={c.myState} onDone={setNotice} />
            )}
            <JoinButton communityId={c.id} mode={c.can.join} state={c.myState} canLeave={c.can.leave} />
          </>
        }
      />
      {c.myInvitationExpired && (
        <Stack mb="md">
          <ExpiredInvitationNotice communityName={c.name} join={c.can.join} />
        </Stack>
      )}
      <Text role="status" size="sm" mb={notice ? 'md' : 0} data-testid="community-status">
        {notice}
      </Text>
      <Tabs value={pane} onChange={(v) => setParams(v && v !== 'about' ? { tab: v } : {}, { replace: true })}>
        <Tabs.List mb="md">
          <Tabs.Tab value="about">About</Tabs.Tab>
          {c.can.seeMembers && (
            <Tabs.Tab value="members">
              Members{' '}
              <Text span size="xs" c="dimmed">
                {c.memberCount}
              </Text>
            </Tabs.Tab>
          )}
          {c.can.manage && <Tabs.Tab value="insights">Insights</Tabs.Tab>}
          {c.can.manage && <Tabs.Tab value="settings">Settings</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="about">
          <About community={c} />
        </Tabs.Panel>
        {c.can.seeMembers && (
          <Tabs.Panel value="members">
            <MembersPane community={c} />
          </Tabs.Panel>
        )}
        {c.can.manage && (
          <Tabs.Panel value="insights">{pane === 'insights' && <InsightsPane communityId={c.id} />}</Tabs.Panel>
        )}
        {c.can.manage && (
          <Tabs.Panel value="settings">
            <SettingsPane community={c} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function About({ community: c }: { readonly community: CommunityDetail }) {
  return (
    <Stack gap="md" maw={760}>
      <Text style={{ whiteSpace: 'pre-wrap' }}>{c.description || 'No description yet.'}</Text>
      <Text size="sm" c="dimmed">
        {c.memberCount.toLocaleString()} {c.memberCount === 1 ? 'member' : 'members'} · {c.leaderCount}{' '}
        {c.leaderCount === 1 ? 'leader' : 'leaders'} · {privacyWords[c.privacy].help}
      </Text>
      {c.myState === 'requested' && <Text size="sm">Your request to join is waiting for a leader.</Text>}
      {(c.myState === 'invited' || c.myState === 'dismissed') && (
        <Text size="sm">You are invited: join whenever you like.</Text>
      )}
    </Stack>
  );
}

type MemberPane = 'joined' | 'leaders' | 'requested' | 'invited';

/** The Members tab; `?list=requested` (the link in a join request email) opens a list of it. */
function MembersPane({ community: c }: { readonly community: CommunityDetail }) {
  const [params] = useSearchParams();
  const panes = [
    { value: 'joined', label: 'Members' },
    { value: 'leaders', label: 'Leaders' },
    ...(c.can.manage ? [{ value: 'requested', label: 'Requests' }] : []),
    // The Invited directory and the + button belong to the invitations feature.
    ...(c.can.invite ? [{ value: 'invited', label: 'Invited' }] : []),
  ];
  const asked = panes.find((p) => p.value === params.get('list'))?.value as MemberPane | undefined;
  const [list, setList] = useState<MemberPane>(asked ?? 'joined');
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Which people"
          data={panes}
          value={list}
          onChange={(v) => setList(v as MemberPane)}
        />
        {c.can.invite && <InviteButton communityId={c.id} communityName={c.name} />}
      </Group>
      {list === 'invited' ? (
        <InvitedList communityId={c.id} />
      ) : (
        <MemberList key={list} communityId={c.id} state={list} canManage={c.can.manage} />
      )}
    </Stack>
  );
}

function SettingsPane({ community: c }: { readonly community: CommunityDetail }) {
  const me = useMe();
  const [editing, setEditing] = useState(false);
  return (
    <Stack gap="lg" maw={860}>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Community ID
          </Text>
          <Text ff="monospace" fw={700} size="xl" data-testid="community-id">
            {c.id}
          </Text>
          <Text size="xs" c="dimmed">
            The number CSV files use
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Address
          </Text>
          <Text ff="monospace">/join/{c.slug}</Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Privacy
          </Text>
          <Text>{privacyWords[c.privacy].label}</Text>
        </Card>
      </SimpleGrid>
      <Group justify="space-between">
        <Title order={2} size="h4">
          Details
        </Title>
        <Button variant="default" onClick={() => setEditing(true)}>
          Edit details
        </Button>
      </Group>
      <LandingSettingsSection communityId={c.id} />
      {me.data?.isAdmin && (
        <Anchor component={Link} to="/admin/communities" size="sm">
          All communities (admin)
        </Anchor>
      )}
      {editing && (
        <CommunityFormModal
          opened
          onClose={() => setEditing(false)}
          asAdmin={false}
          community={{
            id: c.id,
            name: c.name,
            headline: c.headline,
            description: c.description,
            privacy: c.privacy,
            slug: c.slug,
          }}
        />
      )}
    </Stack>
  );
}
