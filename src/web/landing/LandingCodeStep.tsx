import { Alert, Anchor, Button, Group, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { LandingPage, LandingProfileNeeded, LandingResult } from '../../shared/landing';
import type { SignInCodeAnswer } from '../auth/auth-api';
import { CodeDeliveryNote } from '../auth/CodeDeliveryNote';
import { resendLabel } from '../auth/resend-label';
import { useCountdown } from '../auth/use-countdown';
import { requestLandingCode, verifyLandingCode } from './landing-api';
import { StepHeading } from '../ui/StepHeading';
import { CodeInput } from '../auth/CodeInput';
import { landingProblem } from './landing-problems';
import { actionColor, inputStyles } from './landing-styles';

interface LandingCodeStepProps {
  readonly page: LandingPage;
  readonly email: string;
  /** the answer to the request for a code: sent, or why not */
  readonly answer: SignInCodeAnswer;
  readonly onDone: (result: LandingResult) => void;
  /** the code is right and the site needs the visitor's name: the code stays usable for that */
  readonly onProfileNeeded: (code: string, request: LandingProfileNeeded) => void;
  readonly onDifferentEmail: () => void;
}

/** The 6-digit code from the email (or the link in it, in this browser). */
export function LandingCodeStep({
  page,
  email,
  answer,
  onDone,
  onProfileNeeded,
  onDifferentEmail,
}: LandingCodeStepProps) {
  const [code, setCode] = useState('');
  const [delivery, setDelivery] = useState(answer);
  const resendWait = useCountdown(answer.resendAfterSeconds * 1000);
  const verify = useMutation({
    mutationFn: (value: string) => verifyLandingCode(page.slug, { email, code: value }),
    onSuccess: (answer, value) => ('next' in answer ? onProfileNeeded(value, answer) : onDone(answer)),
    onError: () => setCode(''),
  });
  const resend = useMutation({
    mutationFn: () => requestLandingCode(page.slug, email),
    onSuccess: (next) => {
      verify.reset();
      setCode('');
      setDelivery(next);
      resendWait.restart(next.resendAfterSeconds * 1000);
      if (next.delivery !== 'sent') return;
      notifications.show({
        color: 'teal',
        title: 'A new code is on its way',
        message: `Check ${email}. Only the newest code works.`,
      });
    },
  });

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (code.length === 6 && !verify.isPending) verify.mutate(code);
  };
  const change = (value: string) => {
    const digits = value.replace(/\D/g, '').slice(0, 6);
    setCode(digits);
    if (verify.isError) verify.reset();
    if (digits.length === 6 && digits !== code && !verify.isPending) verify.mutate(digits);
  };
  const failed = verify.isError;
  const problem = failed ? landingProblem(verify.error) : resend.isError ? landingProblem(resend.error) : null;
  const final = failed && problem?.final === true;
  return (
    <Stack gap="md">
      <StepHeading>Check your email</StepHeading>
      {/* Once a step failed, the error speaks alone: "We sent a code" above it would be stale. */}
      {!problem && <CodeDeliveryNote email={email} answer={delivery} linkName="link" color="dark.5" />}
      {problem && (
        <Alert color={final ? 'orange' : 'red'} variant="light" title={problem.title} role="alert">
          {problem.message}
        </Alert>
      )}
      {!final && (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <CodeInput value={code} onChange={change} styles={inputStyles} />
            <Button
              color={actionColor}
              type="submit"
              size="md"
              fullWidth
              loading={verify.isPending}
              disabled={code.length !== 6}
            >
              Continue
            </Button>
          </Stack>
        </form>
      )}
      <Group justify="space-between" gap="xs">
        <Anchor c={actionColor} component="button" type="button" size="sm" onClick={onDifferentEmail}>
          Use a different email
        </Anchor>
        {!final && (
          <Button
            variant="subtle"
            color={actionColor}
            size="compact-sm"
            onClick={() => resend.mutate()}
            loading={resend.isPending}
            disabled={resendWait.secondsLeft > 0}
          >
            {resendLabel(delivery)}
            {resendWait.secondsLeft > 0 ? ` (${resendWait.secondsLeft}s)` : ''}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
