import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { LandingPage, LandingProfileNeeded, LandingResult } from '../../shared/landing';
import { followLandingLink } from './landing-api';
import { landingProblem } from './landing-problems';
import { actionColor, smallPrint } from './landing-styles';

interface LandingLinkStepProps {
  readonly page: LandingPage;
  readonly token: string;
  readonly onDone: (result: LandingResult) => void;
  readonly onProfileNeeded: (request: LandingProfileNeeded) => void;
  readonly onStartOver: () => void;
}

/**
 * The emailed link lands here. Opening it does nothing (mail scanners open links too): the
 * visitor presses Continue, which posts the token.
 */
export function LandingLinkStep({ page, token, onDone, onProfileNeeded, onStartOver }: LandingLinkStepProps) {
  const follow = useMutation({
    mutationFn: () => followLandingLink(page.slug, { token }),
    onSuccess: (answer) => ('next' in answer ? onProfileNeeded(answer) : onDone(answer)),
  });
  const problem = follow.isError ? landingProblem(follow.error) : null;
  return (
    <Stack gap="md">
      {problem ? (
        <>
          <Alert color="red" variant="light" title={problem.title} role="alert">
            {problem.message}
          </Alert>
          <Button color={actionColor} size="md" fullWidth onClick={onStartOver}>
            Enter my email again
          </Button>
        </>
      ) : (
        <>
          <Text size="sm" c="dark.5">
            You opened the link from your email. Press Continue to join {page.community.name} on this browser.
          </Text>
          <Button color={actionColor} size="md" fullWidth onClick={() => follow.mutate()} loading={follow.isPending}>
            Continue
          </Button>
          <Text size="xs" c={smallPrint}>
            Did not ask for this? Close this page; nothing happens until you press Continue.
          </Text>
        </>
      )}
    </Stack>
  );
}
