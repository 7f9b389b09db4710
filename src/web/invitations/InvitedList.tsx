import {
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { invitationEmailStatuses, type InvitationEmailStatus, type MembershipSource } from '../../shared/enums';
import {
  invitedSources,
  type InvitationStanding,
  type InvitedMember,
  type InvitedSource,
} from '../../shared/invitations';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { stickyActions } from '../ui/sticky-actions';
import { personLabel, standingWords } from './invitation-standing';
import {
  invitedQueryOf,
  useExtendInvitation,
  useInvitationAction,
  useInvitedMembers,
  useReissueInvitation,
  useUndoRevoke,
} from './invitations-api';

/** How long Undo is offered after a revoke (the server allows a minute). */
const undoMs = 10_000;
const standingTabs: readonly { value: InvitationStanding | 'listed'; label: string }[] = [
  { value: 'listed', label: 'All' },
  { value: 'open', label: 'Open' },
  { value: 'declined', label: 'Declined' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Revoked' },
];

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
 * where the invitation stands (open, declined, expired, revoked), filtered by standing, email state
 * and source with a count on each choice, 50 at a time (Load more), exported as CSV with the same
 * filters. Open ones have Resend and Revoke (confirmed, then Undo for a few seconds);
 * expired ones Extend (open again, no email) and Re-issue (invite again, with an email). Each
 * result is announced in a polite live region, which takes the focus when the row's buttons change.
 */
export function InvitedList({ communityId }: { readonly communityId: number }) {
  const [q, setQ] = useState('');
  const [term] = useDebouncedValue(q, 200);
  const [standing, setStanding] = useState<InvitationStanding | 'listed'>('listed');
  const [emailState, setEmailState] = useState<InvitationEmailStatus | null>(null);
  const [source, setSource] = useState<InvitedSource | null>(null);
  const filters = {
    q: term,
    state: standing === 'listed' ? undefined : standing,
    email: emailState ?? undefined,
    source: source ?? undefined,
  };
  const list = useInvitedMembers(communityId, filters);
  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((p) => p.items);
  const counts = pages[0]?.counts;
  const exportQuery = new URLSearchParams(
    Object.entries(invitedQueryOf(filters)).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();
  const revoke = useInvitationAction(communityId, 'revoke');
  const undoRevoke = useUndoRevoke(communityId);
  const [confirming, setConfirming] = useState<InvitedMember | null>(null);
  const [undoable, setUndoable] = useState<InvitedMember | null>(null);
  useEffect(() => {
    if (!undoable) return;
    const timer = setTimeout(() => setUndoable(null), undoMs);
    return () => clearTimeout(timer);
  }, [undoable]);
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
  const revokeOne = (person: InvitedMember) =>
    revoke.mutate(person.personId, {
      onSuccess: () => {
        setConfirming(null);
        setStatus(null);
        setUndoable(person);
      },
      onError: (error) => {
        setConfirming(null);
        failed(error);
      },
    });
  const undo = (person: InvitedMember) =>
    undoRevoke.mutate(person.personId, {
      onSuccess: () => {
        setUndoable(null);
        done(`The invitation of ${personLabel(person)} is open again.`, true);
      },
      onError: (error) => {
        setUndoable(null);
        failed(error);
      },
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
      {undoable && (
        <Alert color="gray" mb="sm" data-testid="revoke-undo">
          <Group justify="space-between" gap="xs">
            <Text size="sm">The invitation of {personLabel(undoable)} is revoked.</Text>
            <Button size="compact-sm" variant="light" loading={undoRevoke.isPending} onClick={() => undo(undoable)}>
              Undo
            </Button>
          </Group>
        </Alert>
      )}
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title="Revoke this invitation?" size="sm">
        <Text size="sm" mb="md">
          {confirming ? personLabel(confirming) : ''} will no longer be able to join through this invitation, and an
          invitation email not yet sent is held back. You can undo this for a few seconds.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirming(null)}>
            Keep it
          </Button>
          <Button color="red" loading={revoke.isPending} onClick={() => confirming && revokeOne(confirming)}>
            Revoke
          </Button>
        </Group>
      </Modal>
      <SegmentedControl
        value={standing}
        onChange={(v) => setStanding(v as InvitationStanding | 'listed')}
        data={standingTabs.map((tab) => ({
          value: tab.value,
          label: counts ? `${tab.label} (${counts.state[tab.value]})` : tab.label,
        }))}
        aria-label="Which invitations"
        mb="sm"
        fullWidth
        size="xs"
        style={{ flexWrap: 'wrap' }}
      />
      <Group gap="sm" mb="sm" align="flex-end" wrap="wrap">
        <TextInput
          placeholder="Search invited people by name or email"
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          aria-label="Search invited people"
          style={{ flex: '1 1 240px' }}
        />
        <Select
          aria-label="Email state"
          placeholder="Any email state"
          clearable
          value={emailState}
          onChange={(v) => setEmailState(v as InvitationEmailStatus | null)}
          data={invitationEmailStatuses.map((e) => ({
            value: e,
            label: `${emailWords[e].label}${counts ? ` (${counts.email[e]})` : ''}`,
          }))}
          w={200}
        />
        <Select
          aria-label="Source"
          placeholder="Any source"
          clearable
          value={source}
          onChange={(v) => setSource(v as InvitedSource | null)}
          data={invitedSources.map((src) => ({
            value: src,
            label: `${sourceWords[src]}${counts ? ` (${counts.source[src]})` : ''}`,
          }))}
          w={200}
        />
        <Button
          component="a"
          variant="default"
          href={`/api/communities/${communityId}/invitations.csv${exportQuery ? `?${exportQuery}` : ''}`}
          download
        >
          Export CSV
        </Button>
      </Group>
      {list.isPending ? (
        <LoadingState />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          size="sm"
          title={term || filters.state || filters.email || filters.source ? 'Nobody invited matches' : 'No invitations'}
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
              {items.map((p) => {
                const email = p.emailStatus ? emailWords[p.emailStatus] : null;
                const standingOfRow = standingWords(p);
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
                      <Badge variant="light" color={standingOfRow.color}>
                        {standingOfRow.label}
                      </Badge>
                      {standingOfRow.detail && (
                        <Text size="xs" c="dimmed">
                          {standingOfRow.detail}
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
                              onClick={() => setConfirming(p)}
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
      {items.length > 0 && (
        <Group justify="space-between" mt="xs">
          <Text size="xs" c="dimmed" data-testid="invited-shown">
            Showing {items.length}
            {counts ? ` of ${filters.state ? counts.state[filters.state] : counts.state.listed}` : ''}
          </Text>
          {list.hasNextPage && (
            <Button
              size="compact-sm"
              variant="light"
              loading={list.isFetchingNextPage}
              onClick={() => list.fetchNextPage()}
            >
              Load more
            </Button>
          )}
        </Group>
      )}
    </>
  );
}
