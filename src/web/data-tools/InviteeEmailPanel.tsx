/**
 * "Email these invitees" on a finished invite job's page: the job itself sent no email. The admin
 * sets a rate, sees the count (and how many pre-verified people get their invite URL instead),
 * the real email as it will be sent, confirms, and follows the emails to sent. Never automatic;
 * a second run reaches only those not emailed yet.
 */
import { Alert, Badge, Button, Card, Group, Modal, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { isApiError } from '../api/client';
import { formatDateTime } from '../ui/format';
import { type DataJob, useEmailInvitees, useInviteeEmailProgress } from './data-jobs.api';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function InviteeEmailPanel({ job }: { readonly job: DataJob }) {
  const progress = useInviteeEmailProgress(job.id, true);
  const ask = useEmailInvitees(job.id);
  const [opened, setOpened] = useState(false);
  const [rate, setRate] = useState<number>(100);
  const preview = ask.data && !ask.data.confirmed ? ask.data : null;
  const confirmed = ask.data?.confirmed ? ask.data : null;
  const runs = progress.data?.runs ?? [];
  const states = progress.data?.states ?? {};

  const open = () => {
    setOpened(true);
    ask.mutate({ ratePerMinute: rate, confirm: false });
  };
  const refresh = (value: number) => {
    setRate(value);
    if (Number.isInteger(value) && value >= 1 && value <= 5000) ask.mutate({ ratePerMinute: value, confirm: false });
  };
  const confirm = () => ask.mutate({ ratePerMinute: rate, confirm: true }, { onSuccess: () => setOpened(false) });

  return (
    <Card withBorder mt="lg" data-testid="invitee-email-panel">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={3} size="h4">
            Email these invitees
          </Title>
          <Text size="sm" c="dimmed">
            This job sent no email: its invitations wait on each person’s home. You may email them the invitation,
            throttled. Pre-verified people are never emailed; share their invite URL instead.
          </Text>
        </div>
        <Button onClick={open}>Email these invitees</Button>
      </Group>
      {confirmed && (
        <Alert color="green" mt="md" role="status">
          {confirmed.count === 0
            ? 'Nobody was left to email: everyone this job may email was emailed already.'
            : `${plural(confirmed.count, 'email')} queued; the last goes out in about ${plural(confirmed.minutes, 'minute')}.`}
        </Alert>
      )}
      {runs.length > 0 && (
        <Stack gap={4} mt="md" data-testid="invitee-email-result">
          <Group gap="xs">
            {['queued', 'sent', 'kept', 'failed', 'suppressed'].map((s) =>
              states[s] ? (
                <Badge key={s} variant="light" color={s === 'sent' ? 'green' : s === 'failed' ? 'red' : 'gray'}>
                  {`${states[s]} ${s}`}
                </Badge>
              ) : null,
            )}
          </Group>
          {runs.map((r) => (
            <Text size="sm" key={r.at}>
              {formatDateTime(r.at)}: {plural(r.count, 'email')} at {r.ratePerMinute} a minute, the last due{' '}
              {formatDateTime(r.lastSendAt)}
            </Text>
          ))}
        </Stack>
      )}
      <Modal opened={opened} onClose={() => setOpened(false)} title="Email these invitees" size="lg">
        <NumberInput
          label="Emails per minute"
          description="The emails are spread out at this rate (1 to 5,000 a minute)."
          min={1}
          max={5000}
          value={rate}
          onChange={(v) => refresh(typeof v === 'number' ? v : Number(v))}
          allowDecimal={false}
          mb="md"
        />
        {ask.isError && (
          <Alert color="red" role="alert" mb="md">
            {isApiError(ask.error) ? ask.error.message : 'That did not work. Try again.'}
          </Alert>
        )}
        {preview && (
          <>
            <Text fw={600} data-testid="invitee-email-count">
              {plural(preview.count, 'person', 'people')} will be emailed
              {preview.count > 0 ? `, over about ${plural(preview.minutes + 1, 'minute')}` : ''}.
            </Text>
            <Text size="sm" c="dimmed" mb="sm">
              {preview.preverified > 0 &&
                `${plural(preview.preverified, 'pre-verified person', 'pre-verified people')} will not be emailed: they get their invite URL instead. `}
              {preview.alreadyEmailed > 0 &&
                `${plural(preview.alreadyEmailed, 'person', 'people')} were emailed already. `}
              {preview.otherwise > 0 &&
                `${plural(preview.otherwise, 'other person', 'other people')} cannot be emailed (unsubscribed, bouncing, no address or not active). `}
              People who joined, declined, or whose invitation was revoked or expired are not counted.
            </Text>
            {preview.preview && (
              <>
                <Text size="sm" mb={4}>
                  The email, as {preview.preview.to} will receive it: <strong>{preview.preview.subject}</strong>
                </Text>
                <iframe
                  title="Preview of the invitation email"
                  sandbox=""
                  srcDoc={preview.preview.html}
                  style={{
                    width: '100%',
                    height: 320,
                    border: '1px solid var(--mantine-color-gray-4)',
                    borderRadius: 4,
                  }}
                />
              </>
            )}
          </>
        )}
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setOpened(false)}>
            Cancel
          </Button>
          <Button onClick={confirm} disabled={!preview || preview.count === 0} loading={ask.isPending}>
            {preview ? `Send ${plural(preview.count, 'email')}` : 'Send'}
          </Button>
        </Group>
      </Modal>
    </Card>
  );
}
