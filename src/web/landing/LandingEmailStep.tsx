import { Alert, Button, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { SignInCodeAnswer } from '../auth/auth-api';
import { useEmailField } from '../auth/email-field';
import type { LandingPage } from '../../shared/landing';
import { limits } from '../../shared/limits';
import { requestLandingCode } from './landing-api';
import { landingProblem } from './landing-problems';
import { actionColor, inputStyles, smallPrint } from './landing-styles';

/** The page's one field: the email address. The answer never says whether the site knows it. */
export function LandingEmailStep({
  page,
  initialEmail,
  onSent,
}: {
  readonly page: LandingPage;
  /** the address an invitation link carried (`#email=…`), read by the page before it left the URL */
  readonly initialEmail: string;
  readonly onSent: (email: string, answer: SignInCodeAnswer) => void;
}) {
  const send = useMutation({
    mutationFn: (value: string) => requestLandingCode(page.slug, value),
    onSuccess: (answer, sentTo) => onSent(sentTo, answer),
  });
  const { email, setEmail, fieldError, submit } = useEmailField(
    () => initialEmail,
    (value) => send.mutate(value),
  );
  const problem = send.isError ? landingProblem(send.error) : null;
  const domains = page.policy.kind === 'domains' ? page.policy.domains : [];
  return (
    <form onSubmit={submit} noValidate aria-label={`Join ${page.community.name}`}>
      <Stack gap="md">
        <TextInput
          label="Email address"
          description={
            domains.length > 0
              ? `Members join with an address at ${domains.join(', ')}.`
              : 'We will email you a 6-digit code. No password needed.'
          }
          type="email"
          autoComplete="email"
          inputMode="email"
          placeholder="name@example.edu"
          value={email}
          onChange={(event) => setEmail(event.currentTarget.value)}
          error={fieldError}
          maxLength={limits.emailChars}
          required
          size="md"
          styles={inputStyles}
        />
        {problem && (
          <Alert color="red" variant="light" title={problem.title} role="alert">
            {problem.message}
          </Alert>
        )}
        <Button color={actionColor} type="submit" size="md" loading={send.isPending} fullWidth>
          Join with my email
        </Button>
        <Text size="xs" c={smallPrint}>
          We use your address only to sign you in and to send what you join for.
        </Text>
      </Stack>
    </form>
  );
}
