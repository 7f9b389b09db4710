import { Alert, Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';

/**
 * What a person who follows an expired invitation's link reads: that it expired, and what to do —
 * join (or ask to join) when the community lets them, else ask a leader to invite them again.
 */
export function ExpiredInvitationNotice(props: {
  readonly communityName: string;
  readonly join: 'join' | 'request' | null;
  /** the server's sentence, when the community is out of reach */
  readonly message?: string;
}) {
  const next =
    props.join === 'join'
      ? `${props.communityName} is open to you: you can still join it.`
      : props.join === 'request'
        ? `You can still ask to join ${props.communityName}; a leader decides.`
        : 'Ask one of its leaders to invite you again.';
  return (
    <Alert color="yellow" variant="light" title="This invitation has expired" data-testid="invitation-expired">
      <Text size="sm">
        {props.message ?? `Your invitation to ${props.communityName} ran out before it was answered. ${next}`}
      </Text>
      {!props.join && (
        <Text size="sm" mt="xs">
          <Anchor component={Link} to="/">
            Back to home
          </Anchor>
        </Text>
      )}
    </Alert>
  );
}
