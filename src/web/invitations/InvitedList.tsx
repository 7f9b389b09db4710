import { Badge, Button, EmptyState, Group, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useRef, useState } from 'react';
import type { InvitationEmailStatus, MembershipSource } from '../../shared/enums';
import type { InvitedMember } from '../../shared/invitations';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { stickyActions } from '../ui/sticky-actions';
import { personLabel, standingWords } from './invitation-standing';
import { useExtendInvitation, useInvitationAction, useInvitedMembers, useReissueInvitation } from './invitations-api';

const sourceWords: Record<MembershipSource, string> = {
  direct: 'Invited directly',
  data_job: 'Data Tools job',
  landing: 'Landing page',
  request: 'Asked to join',
  admin: 'Added by an admin',
};
const emailWords: Record<InvitationEmailStatus, { label: string; color: string; hint?: string }> = {
  not_sent: { label: 'not sent', color: 'gray' },
  queued: { label: 'queued', color: 'blue' },
  sent: { label: 'sent', color: 'green' },
  kept: {
    label: 'kept, not sent',
    color: 'gray',
    hint: 'The site has no SMTP server: the email is kept in Admin → Email log. Resend once email is set up.',
  },
  failed: { label: 'failed', color: 'red' },
  suppressed: { label: 'suppressed', color: 'orange' },
  pre_verified: { label: 'pre-verified (no email)', color: 'grape' },
};

type Status = { readonly kind: 'done' | 'error'; readonly text: string };

/**
 * The community's Invited directory: who invited each person, when, how, the email's state and
 * where the invitation stands (open, declined, expired). Open ones have Resend and Revoke;
 * expired ones Extend (open again, no email) and Re-issue (invite again, with an email). Each
 * result is announced in a polite live region, which takes the focus when the row's buttons change.
 */
export function InvitedList({ communityId }: { readonly communityId: number }) {
  const [q, setQ] = useState('');
  const [term] = useDebouncedValue(q, 200);
  const list = useInvitedMembers(communityId, term);
  const revoke = useInvitationAction(communityId, 'revoke');
  const resend = useInvitationAction(communityId, 'resend');
  const extend = useExtendInvitation(communityId);
  const reissue = useReissueInvitation(communityId);
  const [status, setStatus] = useState<Status | null>(null);
  const statusRef = useRef<HTMLParagraphElement>(null);

  const failed = (error: unknown) => {
    setStatus({ kind: 'error', text: isApiError(error) ? error.message : 'That did not work. Try again.' });
    statusRef.current?.focus();
  };
  const refused = (text: string) => {
    setStatus({ kind: 'error', text });
    statusRef.current?.focus();
  };
  const done = (text: string, moveFocus: boolean) => {
    setStatus({ kind: 'done', text });
    if (moveFocus) statusRef.current?.focus();
  };
  const act = (action: typeof revoke, person: InvitedMember, text: string, moveFocus: boolean) =>
    action.mutate(person.personId, { onSuccess: () => done(text, moveFocus), onError: failed });
  const extendOne = (person: InvitedMember) =>
    extend.mutate(person.personId, {
      onSuccess: ({ expiresAt }) =>
        done(
          `The invitation of ${personLabel(person)} is open again, ${
            expiresAt === null ? 'without an expiry' : `until ${formatDateTime(expiresAt)}`
          }.`,
          true,
        ),
      onError: failed,
    });
  const reissueOne = (person: InvitedMember) =>
    reissue.mutate(person.personId, {
      onSuccess: ({ results }) => {
        const result = results[0];
        if (result?.outcome === 'invited') done(`Invited ${personLabel(person)} again: ${result.message}.`, true);
        else refused(`${personLabel(person)} was not invited again: ${result?.message ?? 'no answer'}.`);
      },
      onError: failed,
    });
  const busy = (action: { isPending: boolean; variables?: number }, p: InvitedMember) =>
    action.isPending && action.variables === p.personId;

  return (
    <>
      <Text
        ref={statusRef}
        role="status"
        tabIndex={-1}
        size="sm"
        c={status?.kind === 'error' ? 'red' : undefined}
        mb={status ? 'sm' : 0}
        data-testid="invited-status"
      >
        {status?.text}
      </Text>
      <TextInput
        placeholder="Search invited people by name or email"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        mb="sm"
        aria-label="Search invited people"
      />
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          size="sm"
          title={term ? 'Nobody invited matches' : 'No invitations'}
          description="People you invite appear here until they join; declined and expired invitations stay listed."
        />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="xs" striped aria-label="Invited people">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
                <Table.Th>Invitation</Table.Th>
                <Table.Th>Invited by</Table.Th>
                <Table.Th>How</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th style={stickyActions}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((p) => {
                const email = p.emailStatus ? emailWords[p.emailStatus] : null;
                const standing = standingWords(p);
                const who = personLabel(p);
                const now = Date.now();
                const canResend = p.resendAllowedAt !== null && p.resendAllowedAt <= now;
                const resendHint =
                  p.resendAllowedAt === null
                    ? 'Pre-verified or suppressed people are never emailed'
                    : canResend
                      ? 'Email the invitation again'
                      : `Allowed again at ${formatDateTime(p.resendAllowedAt)}`;
                return (
                  <Table.Tr key={p.personId} data-invitation={p.invitation}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {`${p.firstName} ${p.lastName}`.trim() || p.email}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {p.email ?? 'no email address'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={standing.color}>
                        {standing.label}
                      </Badge>
                      {standing.detail && (
                        <Text size="xs" c="dimmed">
                          {standing.detail}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{p.invitedBy?.name ?? '—'}</Text>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(p.invitedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{sourceWords[p.source] ?? p.source}</Text>
                    </Table.Td>
                    <Table.Td>
                      {email?.hint ? (
                        <Tooltip label={email.hint} multiline w={260}>
                          <Badge variant="light" color={email.color} tabIndex={0}>
                            {email.label}
                          </Badge>
                        </Tooltip>
                      ) : email ? (
                        <Badge variant="light" color={email.color}>
                          {email.label}
                        </Badge>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td style={stickyActions}>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        {p.invitation === 'open' && (
                          <>
                            <Tooltip label={resendHint}>
                              <Button
                                size="compact-sm"
                                variant="light"
                                aria-label={`Resend the invitation to ${who}`}
                                disabled={!canResend}
                                loading={busy(resend, p)}
                                onClick={() => act(resend, p, `Invitation emailed again to ${p.email}.`, false)}
                              >
                                Resend
                              </Button>
                            </Tooltip>
                            <Button
                              size="compact-sm"
                              variant="subtle"
                              color="red"
                              aria-label={`Revoke the invitation of ${who}`}
                              loading={busy(revoke, p)}
                              onClick={() => act(revoke, p, `The invitation of ${who} is revoked.`, true)}
                            >
                              Revoke
                            </Button>
                          </>
                        )}
                        {p.invitation === 'expired' && (
                          <>
                            <Tooltip label="Open it again for the site’s expiry period, without an email">
                              <Button
                                size="compact-sm"
                                variant="light"
                                aria-label={`Extend the invitation of ${who}`}
                                loading={busy(extend, p)}
                                onClick={() => extendOne(p)}
                              >
                                Extend
                              </Button>
                            </Tooltip>
                            <Tooltip label="Invite again, with an invitation email">
                              <Button
                                size="compact-sm"
                                variant="subtle"
                                aria-label={`Re-issue the invitation of ${who}`}
                                loading={busy(reissue, p)}
                                onClick={() => reissueOne(p)}
                              >
                                Re-issue
                              </Button>
                            </Tooltip>
                          </>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data && list.data.total > list.data.items.length && (
        <Text size="xs" c="dimmed" mt="xs">
          Showing {list.data.items.length} of {list.data.total}; search to narrow the list.
        </Text>
      )}
    </>
  );
}
