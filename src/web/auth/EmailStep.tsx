import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { limits } from '../../shared/limits';
import { requestSignInCode, type SignInCodeAnswer } from './auth-api';
import { signInProblem } from './sign-in-errors';
import { emailFromUrl } from './email-from-url';

const looksLikeEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface EmailStepProps {
  /** the address typed before ("Use a different email" comes back with it) */
  readonly initialEmail?: string;
  readonly onSent: (email: string, answer: SignInCodeAnswer) => void;
}

/** Step 1: the email address; asks the server to send a code. */
export function EmailStep({ initialEmail, onSent }: EmailStepProps) {
  // An invitation email links here with #email=… filled in.
  const [email, setEmail] = useState(() => initialEmail || emailFromUrl());
  const [fieldError, setFieldError] = useState<string | null>(null);
  const send = useMutation({ mutationFn: requestSignInCode, onSuccess: (answer, sentTo) => onSent(sentTo, answer) });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = email.trim();
    if (!looksLikeEmail.test(value)) {
      setFieldError(value ? 'Enter an email address like name@example.edu.' : 'Enter your email address.');
      return;
    }
    setFieldError(null);
    send.mutate(value);
  };

  const problem = send.isError ? signInProblem(send.error) : null;
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          label="Email address"
          type="email"
          autoComplete="email"
          placeholder="name@example.edu"
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={fieldError}
          maxLength={limits.emailChars}
          required
          autoFocus
          size="md"
        />
        {problem && <Alert color="red" variant="light" title={problem.title} role="alert">{problem.message}</Alert>}
        <Button type="submit" size="md" loading={send.isPending} fullWidth>Email me a code</Button>
      </Stack>
    </form>
  );
}
