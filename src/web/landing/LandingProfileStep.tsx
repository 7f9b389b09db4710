import { Alert, Button, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { LandingPage, LandingProfileNeeded, LandingResult, LandingVisitAnswer } from '../../shared/landing';
import { limits } from '../../shared/limits';
import type { ProfileInput } from './landing-api';
import { landingProblem } from './landing-problems';
import { actionColor, inputStyles } from './landing-styles';

interface LandingProfileStepProps {
  readonly page: LandingPage;
  readonly fields: LandingProfileNeeded['fields'];
  readonly memberTypes: readonly string[];
  /** false: the visitor may skip the fields (only the email needs verifying) */
  readonly required: boolean;
  /** sends the names with the code or link that was already accepted */
  readonly submit: (profile: ProfileInput) => Promise<LandingVisitAnswer>;
  readonly onDone: (result: LandingResult) => void;
  /** the server still needs a field (e.g. a member type added meanwhile) */
  readonly onProfileNeeded: (request: LandingProfileNeeded) => void;
}

/** A new person's name (and member type, where the site has types), asked once the email is verified. */
export function LandingProfileStep({
  page,
  fields,
  memberTypes,
  required,
  submit,
  onDone,
  onProfileNeeded,
}: LandingProfileStepProps) {
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [memberType, setMemberType] = useState<string | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const needsType = fields.includes('memberType');
  const send = useMutation({
    mutationFn: submit,
    onSuccess: (answer) => ('next' in answer ? onProfileNeeded(answer) : onDone(answer)),
  });

  const given = () => ({
    ...(fields.includes('firstName') && firstName.trim() ? { firstName: firstName.trim() } : {}),
    ...(fields.includes('lastName') && lastName.trim() ? { lastName: lastName.trim() } : {}),
    ...(needsType && memberType ? { memberType } : {}),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // Optional fields: what was typed goes, the rest is skipped.
    if (!required) {
      setMissing([]);
      send.mutate({ ...given(), skipProfile: true });
      return;
    }
    const gaps = [
      ...(fields.includes('firstName') && !firstName.trim() ? ['firstName'] : []),
      ...(fields.includes('lastName') && !lastName.trim() ? ['lastName'] : []),
      ...(needsType && !memberType ? ['memberType'] : []),
    ];
    setMissing(gaps);
    if (gaps.length > 0) return;
    send.mutate(given());
  };
  const problem = send.isError ? landingProblem(send.error) : null;
  return (
    <form onSubmit={onSubmit} noValidate aria-label="About you">
      <Stack gap="md">
        <Text size="sm" c="dark.5">
          {required
            ? `Your email is verified. Tell us your name to finish joining ${page.community.name}.`
            : `Your email is verified. Tell ${page.community.name} who you are, or skip this: only your email is needed.`}
        </Text>
        {fields.includes('firstName') && (
          <TextInput
            label="First name"
            autoComplete="given-name"
            value={firstName}
            onChange={(e) => setFirstName(e.currentTarget.value)}
            maxLength={limits.nameChars}
            required={required}
            size="md"
            autoFocus
            styles={inputStyles}
            error={missing.includes('firstName') ? 'Enter your first name.' : null}
          />
        )}
        {fields.includes('lastName') && (
          <TextInput
            label="Last name"
            autoComplete="family-name"
            value={lastName}
            onChange={(e) => setLastName(e.currentTarget.value)}
            maxLength={limits.nameChars}
            required={required}
            size="md"
            autoFocus={!fields.includes('firstName')}
            styles={inputStyles}
            error={missing.includes('lastName') ? 'Enter your last name.' : null}
          />
        )}
        {needsType && (
          <Select
            label="Member type"
            placeholder="Choose one"
            data={[...memberTypes]}
            value={memberType}
            onChange={setMemberType}
            required={required}
            size="md"
            allowDeselect={false}
            styles={inputStyles}
            error={missing.includes('memberType') ? 'Choose your member type.' : null}
          />
        )}
        {problem && (
          <Alert color="red" variant="light" title={problem.title} role="alert">
            {problem.message}
          </Alert>
        )}
        <Button color={actionColor} type="submit" size="md" fullWidth loading={send.isPending}>
          Join {page.community.name}
        </Button>
        {!required && (
          <Button
            type="button"
            variant="default"
            size="md"
            fullWidth
            disabled={send.isPending}
            onClick={() => send.mutate({ skipProfile: true })}
          >
            Skip and join
          </Button>
        )}
      </Stack>
    </form>
  );
}
