import { Alert, Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { LandingResult } from '../../shared/landing';
import { StepHeading } from '../ui/StepHeading';
import { actionColor } from './landing-styles';

/** How the visit ended: a member now (or already), or waiting for a site admin. */
export function LandingOutcome({ result }: { readonly result: LandingResult }) {
  const name = result.communityName;
  if (result.outcome === 'pending_approval') {
    return (
      <Alert color="indigo" variant="light" role="status">
        <StepHeading>Thanks — an admin will review your request</StepHeading>
        <Text size="sm" mt="xs">
          This page admits members from certain addresses only. Your account now waits for a site admin's approval; once
          approved, you will be a member of {name} straight away. Nothing else is needed from you.
        </Text>
      </Alert>
    );
  }
  const title =
    result.outcome === 'joined'
      ? `Welcome to ${name}!`
      : result.outcome === 'already_member'
        ? `You are a member of ${name}`
        : 'You are signed in';
  const message =
    result.outcome === 'joined'
      ? 'You are now a member. You are signed in on this browser.'
      : result.outcome === 'already_member'
        ? 'You were already a member, so we just signed you in.'
        : `You cannot join ${name} from this page. Contact its leaders if you think this is a mistake.`;
  return (
    <Stack gap="md">
      <StepHeading>{title}</StepHeading>
      <Alert color="teal" variant="light" role="status">
        <Text size="sm">{message}</Text>
      </Alert>
      {result.outcome !== 'not_joined' && (
        <Button color={actionColor} component={Link} to={`/communities/${result.communityId}`} size="md" fullWidth>
          Open {name}
        </Button>
      )}
      <Button component={Link} to="/" size="md" variant="default" fullWidth>
        Go to my home
      </Button>
    </Stack>
  );
}
