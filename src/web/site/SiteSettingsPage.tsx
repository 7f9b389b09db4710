import { Alert, Button, Group, NumberInput, Paper, Radio, Stack, Switch, TextInput, Title } from '@mantine/core';
import { type ReactNode, useRef, useState } from 'react';
import type { SiteSettings } from '../../shared/site-settings';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { draftOf, type FieldErrors, fieldErrorsOf, patchOf, type SettingsDraft } from './settings-form';
import { useSaveSiteSettings, useSiteSettings } from './site-settings-api';

/** `/admin/settings` — sign-up, invitation quotas, invitation expiry and reminders, log retention. */
export function SiteSettingsPage() {
  const settings = useSiteSettings();
  return (
    <>
      <PageHeader title="Site settings" description="Apply to the whole site; every change is in the audit log." />
      {settings.isPending ? (
        <LoadingState />
      ) : settings.isError ? (
        <ErrorState error={settings.error} onRetry={() => settings.refetch()} />
      ) : (
        <SettingsForm settings={settings.data} />
      )}
    </>
  );
}

type Status = { readonly kind: 'done' | 'error'; readonly text: string };

function SettingsForm({ settings }: { readonly settings: SiteSettings }) {
  const save = useSaveSiteSettings();
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(settings));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const refuse = (fields: FieldErrors, text: string) => {
    setErrors(fields);
    setStatus({ kind: 'error', text });
    statusRef.current?.focus();
  };
  const submit = () => {
    const body = patchOf(draft);
    if ('errors' in body) return refuse(body.errors, 'Some fields are not valid.');
    save.mutate(body.patch, {
      onSuccess: (saved) => {
        setDraft(draftOf(saved));
        setErrors({});
        setStatus({ kind: 'done', text: 'Settings saved.' });
        statusRef.current?.focus();
      },
      onError: (error) =>
        refuse(
          isApiError(error, 'validation_failed') ? fieldErrorsOf(error.details) : {},
          isApiError(error) ? error.message : 'The settings could not be saved. Try again.',
        ),
    });
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <Stack gap="lg" maw={720}>
        <Section title="Sign-up and invitations">
          <Switch
            label="Open sign-up"
            description="A verified address Convene does not know becomes a person waiting for approval."
            checked={draft.signupOpen}
            onChange={(e) => set('signupOpen', e.currentTarget.checked)}
          />
          <Switch
            label="Leaders may invite people who have no account"
            description="Inviting an unknown address creates a person on this site."
            checked={draft.leadersMayInviteNewPeople}
            onChange={(e) => set('leadersMayInviteNewPeople', e.currentTarget.checked)}
          />
          <Group grow align="flex-start" wrap="wrap">
            <NumberInput
              label="Invitation emails per leader per day"
              allowDecimal={false}
              value={draft.leaderDailyEmailQuota}
              onChange={(v) => set('leaderDailyEmailQuota', v)}
              error={errors.leaderDailyEmailQuota}
              miw={220}
            />
            <NumberInput
              label="Invitation emails per admin per day"
              allowDecimal={false}
              value={draft.adminDailyEmailQuota}
              onChange={(v) => set('adminDailyEmailQuota', v)}
              error={errors.adminDailyEmailQuota}
              miw={220}
            />
          </Group>
        </Section>

        <Section title="Invitation expiry and reminders">
          <Radio.Group
            label="Invitations expire"
            value={draft.invitationsExpire ? 'days' : 'never'}
            onChange={(v) => set('invitationsExpire', v === 'days')}
          >
            <Group mt="xs">
              <Radio value="days" label="After a number of days" />
              <Radio value="never" label="Never" />
            </Group>
          </Radio.Group>
          {draft.invitationsExpire && (
            <NumberInput
              label="Days an invitation stays open"
              description="For new invitations; a leader can choose otherwise for a batch."
              allowDecimal={false}
              value={draft.invitationExpiryDays}
              onChange={(v) => set('invitationExpiryDays', v)}
              error={errors.invitationExpiryDays}
              maw={320}
            />
          )}
          <TextInput
            label="Reminder days"
            description="Days after the invitation when a reminder is emailed, separated by commas. Empty: no reminders."
            value={draft.reminderDays}
            onChange={(e) => set('reminderDays', e.currentTarget.value)}
            error={errors.reminderDays}
            maw={420}
          />
          <Switch
            label="Remind before the invitation expires"
            checked={draft.remindBeforeExpiry}
            onChange={(e) => set('remindBeforeExpiry', e.currentTarget.checked)}
          />
          {draft.remindBeforeExpiry && (
            <NumberInput
              label="Days before the expiry"
              description={draft.invitationsExpire ? undefined : 'Applies only to invitations that expire.'}
              allowDecimal={false}
              value={draft.reminderBeforeExpiryDays}
              onChange={(v) => set('reminderBeforeExpiryDays', v)}
              error={errors.reminderBeforeExpiryDays}
              maw={320}
            />
          )}
        </Section>

        <Section title="Logs">
          <NumberInput
            label="Days to keep sent emails and audit events"
            allowDecimal={false}
            value={draft.logRetentionDays}
            onChange={(v) => set('logRetentionDays', v)}
            error={errors.logRetentionDays}
            maw={320}
          />
        </Section>

        <div ref={statusRef} tabIndex={-1} role="status" data-testid="settings-status">
          {status && (
            <Alert color={status.kind === 'done' ? 'green' : 'red'} variant="light">
              {status.text}
            </Alert>
          )}
        </div>
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  const id = `settings-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper component="section" withBorder p="lg" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="md">
        {title}
      </Title>
      <Stack gap="md">{children}</Stack>
    </Paper>
  );
}
