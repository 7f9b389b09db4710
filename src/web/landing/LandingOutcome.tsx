import { Alert, Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { LandingPage, LandingResult } from '../../shared/landing';
import { StepHeading } from '../ui/StepHeading';
import { actionColor } from './landing-styles';

/** Why a new address waits for an admin, in the words of the page's policy. */
function whyApproval(page: LandingPage): string {
  switch (page.policy.kind) {
    case 'known':
      return 'This page lets people the site already knows join at once; a new address like yours is checked by a site admin first.';
    case 'domains':
      return `This page lets addresses at ${page.policy.domains.join(', ')} join at once; other addresses are checked by a site admin first.`;
    case 'anyone':
      return 'A site admin checks new accounts first.';
  }
}

/** How the visit ended: a member now (or already), or waiting for a site admin. */
export function LandingOutcome({ page, result }: { readonly page: LandingPage; readonly result: LandingResult }) {
  const name = result.communityName;
  if (result.outcome === 'pending_approval') {
    return (
      <Alert color="indigo" variant="light" role="status">
        <StepHeading>Thanks — an admin will review your request</StepHeading>
        <Text size="sm" mt="xs">
          {whyApproval(page)} Your account now waits for that approval; once approved, you will be a member of {name}{' '}
          straight away. Nothing else is needed from you.
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
