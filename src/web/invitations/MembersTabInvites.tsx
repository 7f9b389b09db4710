import { Group, Tabs, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { InviteButton } from './InviteButton';
import { InvitedList } from './InvitedList';

interface MembersTabInvitesProps {
  readonly communityId: number;
  readonly communityName: string;
  /** the caller may invite (site admin or one of the community's leaders) */
  readonly canInvite: boolean;
  /** the Members list (joined) */
  readonly members: ReactNode;
  /** the Leaders list */
  readonly leaders: ReactNode;
}

/**
 * A community's Members tab: Members, Leaders and (for admins and leaders) Invited, with the
 * "+" button that opens the invite dialog.
 */
export function MembersTabInvites({ communityId, communityName, canInvite, members, leaders }: MembersTabInvitesProps) {
  return (
    <Tabs defaultValue="joined" variant="pills" keepMounted={false}>
      <Group justify="space-between" mb="md" wrap="nowrap">
        <Tabs.List aria-label="Member lists">
          <Tabs.Tab value="joined">Members</Tabs.Tab>
          <Tabs.Tab value="leaders">Leaders</Tabs.Tab>
          {canInvite && <Tabs.Tab value="invited">Invited</Tabs.Tab>}
        </Tabs.List>
        {canInvite ? <InviteButton communityId={communityId} communityName={communityName} /> : <Text size="xs" c="dimmed" />}
      </Group>
      <Tabs.Panel value="joined">{members}</Tabs.Panel>
      <Tabs.Panel value="leaders">{leaders}</Tabs.Panel>
      {canInvite && <Tabs.Panel value="invited"><InvitedList communityId={communityId} /></Tabs.Panel>}
    </Tabs>
  );
}
