import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/client';
import { useMembershipAction } from './communities-api';

/** Join (public, or with an invitation) or Ask to join (private); Leave or Withdraw when inside. */
export function JoinButton({
  communityId,
  mode,
  state,
  canLeave,
}: {
  readonly communityId: number;
  readonly mode: 'join' | 'request' | null;
  readonly state: string | null;
  readonly canLeave: boolean;
}) {
  const action = useMembershipAction(communityId);
  const run = (kind: 'join' | 'leave') =>
    action.mutate(
      { kind },
      {
        onSuccess: (res) =>
          notifications.show({
            color: 'green',
            message:
              'state' in res && res.state === 'joined'
                ? 'You joined.'
                : 'state' in res && res.state === 'requested'
                  ? 'Request sent: a leader will review it.'
                  : 'You left.',
          }),
        onError: (error) =>
          notifications.show({
            color: 'red',
            message: isApiError(error) ? error.message : 'That did not work. Try again.',
          }),
      },
    );
  if (mode)
    return (
      <Button onClick={() => run('join')} loading={action.isPending}>
        {mode === 'join' ? 'Join' : 'Ask to join'}
      </Button>
    );
  if (canLeave)
    return (
      <Button variant="default" onClick={() => run('leave')} loading={action.isPending}>
        {state === 'requested' ? 'Withdraw request' : 'Leave'}
      </Button>
    );
  return null;
}
