import { Alert, Button, Checkbox, Group, Modal, Stack, Switch, Text, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { InviteResponse } from '../../shared/invitations';
import { limits } from '../../shared/limits';
import { isApiError } from '../api/client';
import { newIdempotencyKey, useInvite, useInviteQuota } from './invitations-api';
import { InviteResults } from './InviteResults';
import { quotaNotice } from './quota-notice';
import { countRecipients, inviteBody, type RecipientChip } from './recipient-chips';
import { RecipientInput } from './RecipientInput';

interface InviteDialogProps {
  readonly communityId: number;
  readonly communityName: string;
  readonly opened: boolean;
  readonly onClose: () => void;
}

/** The invite dialog of a community's Members tab (admins and the community's leaders). */
export function InviteDialog({ communityId, communityName, opened, onClose }: InviteDialogProps) {
  const [chips, setChips] = useState<RecipientChip[]>([]);
  const [message, setMessage] = useState('');
  const [sendEmail, setSendEmail] = useState(true);
  const [reminders, setReminders] = useState(true);
  const [answer, setAnswer] = useState<InviteResponse | null>(null);
  const [confirmingClose, setConfirmingClose] = useState(false);
  const invite = useInvite(communityId);
  const quota = useInviteQuota(communityId, opened);

  const body = useMemo(() => inviteBody(chips, message, sendEmail, reminders), [chips, message, sendEmail, reminders]);
  // One key per distinct request: a second click after a lost answer replays, never re-invites.
  const idempotencyKey = useMemo(() => (body ? newIdempotencyKey() : ''), [body]);
  const count = countRecipients(chips);
  const over = count > limits.invitationRecipients;
  const invalid = chips.filter((c) => c.kind === 'invalid').length;
  const notice = quotaNotice(quota.data, count, sendEmail);

  const reset = () => {
    setChips([]);
    setMessage('');
    setSendEmail(true);
    setReminders(true);
    setAnswer(null);
    setConfirmingClose(false);
    invite.reset();
  };
  const close = () => {
    reset();
    onClose();
  };
  // Esc, the close button and a click outside ask first when recipients or a message would be lost.
  const requestClose = () => {
    if (!answer && (chips.length > 0 || message.trim() !== '')) setConfirmingClose(true);
    else close();
  };
  const submit = () => invite.mutate({ body, idempotencyKey }, { onSuccess: setAnswer });

  const error = invite.error;
  return (
    <Modal
      opened={opened}
      onClose={requestClose}
      size="lg"
      title={answer ? `Invitations to ${communityName}` : `Invite members to ${communityName}`}
      closeButtonProps={{ 'aria-label': 'Close the invite dialog' }}
    >
      {answer ? (
        <Stack>
          <InviteResults response={answer} />
          <Group justify="flex-end">
            <Button variant="default" onClick={reset}>
              Invite more
            </Button>
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <RecipientInput
            autoFocus
            communityId={communityId}
            chips={chips}
            onChange={setChips}
            error={
              over
                ? `At most ${limits.invitationRecipients} recipients per invitation: remove ${count - limits.invitationRecipients}.`
                : undefined
            }
          />
          <Group justify="space-between" gap="xs">
            <Group gap="xs">
              <Text size="sm" c={over ? 'red' : 'dimmed'} data-testid="recipient-count" aria-live="polite">
                {count === 1 ? '1 recipient' : `${count} recipients`} (at most {limits.invitationRecipients})
              </Text>
              {invalid > 0 && (
                <Text size="sm" c="red" data-testid="invalid-count">
                  · {invalid} not an email address (will be skipped)
                </Text>
              )}
            </Group>
            {chips.length > 0 && (
              <Group gap={4}>
                {invalid > 0 && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setChips(chips.filter((c) => c.kind !== 'invalid'))}
                  >
                    Remove invalid
                  </Button>
                )}
                <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setChips([])}>
                  Clear
                </Button>
              </Group>
            )}
          </Group>
          <Textarea
            label="Message (optional)"
            description={
              sendEmail
                ? 'Sent as plain text in the invitation email.'
                : 'Off while emails are off: a message travels only in the invitation email, so none is kept.'
            }
            disabled={!sendEmail}
            autosize
            minRows={3}
            maxRows={8}
            maxLength={limits.invitationMessageChars}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            rightSection={null}
          />
          <Text size="xs" c="dimmed" ta="right" mt={-12} data-testid="message-count">
            {message.length.toLocaleString()} / {limits.invitationMessageChars.toLocaleString()}
          </Text>
          <Checkbox
            label="Automatically send email invitations to new members"
            checked={sendEmail}
            onChange={(e) => setSendEmail(e.currentTarget.checked)}
          />
          {sendEmail && (
            <Switch
              label="Send reminders"
              description="The site's reminder emails while an invitation stays unanswered."
              checked={reminders}
              onChange={(e) => setReminders(e.currentTarget.checked)}
            />
          )}
          {notice && (
            <Text size="sm" c={notice.blocked ? 'red' : 'dimmed'} data-testid="invite-quota" aria-live="polite">
              {notice.text}
            </Text>
          )}
          {error && (
            <Alert color="red" variant="light" role="alert" title="Nobody was invited">
              {isApiError(error) ? error.message : 'Something went wrong. Try again.'}
            </Alert>
          )}
          {confirmingClose && (
            <Alert color="yellow" variant="light" role="alertdialog" title="Discard this invitation?">
              <Stack gap="xs">
                <Text size="sm">{discardWords(chips.length, message.trim() !== '')}</Text>
                <Group gap="xs">
                  <Button size="xs" variant="default" onClick={() => setConfirmingClose(false)} data-autofocus>
                    Keep editing
                  </Button>
                  <Button size="xs" color="red" onClick={close}>
                    Discard
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={requestClose}>
              Cancel
            </Button>
            <Button onClick={submit} loading={invite.isPending} disabled={count === 0 || over || !!notice?.blocked}>
              Invite Members
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function discardWords(entries: number, withMessage: boolean): string {
  const what = [
    ...(entries ? [entries === 1 ? 'the recipient' : `all ${entries} recipients`] : []),
    ...(withMessage ? ['the message'] : []),
  ].join(' and ');
  return `Closing loses ${what}.`;
}
