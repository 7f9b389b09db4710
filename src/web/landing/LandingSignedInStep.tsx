import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { LandingPage, LandingResult } from '../../shared/landing';
import type { Me } from '../api/client';
import { joinLandingSignedIn } from './landing-api';
import { landingProblem } from './landing-problems';
import { actionColor } from './landing-styles';

interface LandingSignedInStepProps {
  readonly page: LandingPage;
  readonly me: Me;
  readonly onDone: (result: LandingResult) => void;
  readonly onOtherEmail: () => void;
}

/** A visitor who is already signed in joins with one press; no new code needed. */
export function LandingSignedInStep({ page, me, onDone, onOtherEmail }: LandingSignedInStepProps) {
  const join = useMutation({ mutationFn: () => joinLandingSignedIn(page.slug), onSuccess: onDone });
  const problem = join.isError ? landingProblem(join.error) : null;
  const name = `${me.firstName} ${me.lastName}`.trim() || me.email;
  return (
    <Stack gap="md">
      <Text size="sm" c="dark.5">
        You are signed in as{' '}
        <Text span fw={600}>
          {name}
        </Text>
        {me.email && name !== me.email ? ` (${me.email})` : ''}.
      </Text>
      {problem && (
        <Alert color="red" variant="light" title={problem.title} role="alert">
          {problem.message}
        </Alert>
      )}
      <Button color={actionColor} size="md" fullWidth onClick={() => join.mutate()} loading={join.isPending}>
        Join {page.community.name}
      </Button>
      <Anchor c={actionColor} component="button" type="button" size="sm" onClick={onOtherEmail}>
        Not you? Join with another email
      </Anchor>
    </Stack>
  );
}
