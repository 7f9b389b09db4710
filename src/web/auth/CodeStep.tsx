import { Alert, Anchor, Button, Group, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { meQueryKey } from '../api/client';
import { requestSignInCode, verifySignInCode, type SignInCodeAnswer } from './auth-api';
import { CodeDeliveryNote } from './CodeDeliveryNote';
import { CodeInput } from './CodeInput';
import { resendLabel } from './resend-label';
import { signInProblem } from './sign-in-errors';
import { useCountdown } from './use-countdown';

interface CodeStepProps {
  readonly email: string;
  /** the server's answer: how long the code lives, and before another can be sent */
  readonly answer: SignInCodeAnswer;
  readonly next: string;
  readonly onDifferentEmail: () => void;
}

/** Step 2: the 6-digit code; signs in, or says what went wrong and what to do next. */
export function CodeStep({ email, answer, next, onDifferentEmail }: CodeStepProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [delivery, setDelivery] = useState(answer);
  const resendWait = useCountdown(answer.resendAfterSeconds * 1000);

  const verify = useMutation({
    mutationFn: verifySignInCode,
    onSuccess: async (me) => {
      if (me) queryClient.setQueryData(meQueryKey, me);
      else await queryClient.invalidateQueries({ queryKey: meQueryKey });
      navigate(next, { replace: true });
    },
    onError: () => setCode(''),
  });
  const resend = useMutation({
    mutationFn: () => requestSignInCode(email),
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
    if (code.length === 6 && !verify.isPending) verify.mutate({ email, code });
  };
  const change = (value: string) => {
    const digits = value.replace(/\D/g, '').slice(0, 6);
    setCode(digits);
    if (verify.isError) verify.reset();
    // Typing or pasting the sixth digit signs in at once.
    if (digits.length === 6 && digits !== code && !verify.isPending) verify.mutate({ email, code: digits });
  };

  const problem = verify.isError ? signInProblem(verify.error) : resend.isError ? signInProblem(resend.error) : null;
  const final = verify.isError && problem?.final === true;
  return (
    <Stack gap="md">
      <CodeDeliveryNote email={email} answer={delivery} linkName="sign-in link" />
      {problem && (
        <Alert color={final ? 'orange' : 'red'} variant="light" title={problem.title} role="alert">
          {problem.message}
        </Alert>
      )}
      {!final && (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <CodeInput value={code} onChange={change} />
            <Button type="submit" size="md" fullWidth loading={verify.isPending} disabled={code.length !== 6}>
              Sign in
            </Button>
          </Stack>
        </form>
      )}
      <Group justify="space-between" gap="xs">
        <Anchor component="button" type="button" size="sm" onClick={onDifferentEmail}>
          Use a different email
        </Anchor>
        {problem?.next !== 'different_email' && (
          <Button
            variant="subtle"
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
