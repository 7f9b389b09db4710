import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEmailField } from './email-field';
import { limits } from '../../shared/limits';
import { requestSignInCode, type SignInCodeAnswer } from './auth-api';
import { signInProblem } from './sign-in-errors';
import { emailFromUrl } from './email-from-url';

interface EmailStepProps {
  /** the address typed before ("Use a different email" comes back with it) */
  readonly initialEmail?: string;
  readonly onSent: (email: string, answer: SignInCodeAnswer) => void;
}

/** Step 1: the email address; asks the server to send a code. */
export function EmailStep({ initialEmail, onSent }: EmailStepProps) {
  const send = useMutation({ mutationFn: requestSignInCode, onSuccess: (answer, sentTo) => onSent(sentTo, answer) });
  // An invitation email links here with #email=… filled in.
  const { email, setEmail, fieldError, submit } = useEmailField(
    () => initialEmail || emailFromUrl(),
    (value) => send.mutate(value),
  );

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
        {problem && (
          <Alert color="red" variant="light" title={problem.title} role="alert">
            {problem.message}
          </Alert>
        )}
        <Button type="submit" size="md" loading={send.isPending} fullWidth>
          Email me a code
        </Button>
      </Stack>
    </form>
  );
}
