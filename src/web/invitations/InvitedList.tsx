import { Badge, Button, EmptyState, Group, Table, Text, TextInput, Tooltip, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { InvitationEmailStatus, MembershipSource } from '../../shared/enums';
import type { InvitedMember } from '../../shared/invitations';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { stickyActions } from '../ui/sticky-actions';
import { useInvitationAction, useInvitedMembers } from './invitations-api';

const sourceWords: Record<MembershipSource, string> = {
  direct: 'Invited directly',
  data_job: 'Data Tools job',
  landing: 'Landing page',
  request: 'Asked to join',
  admin: 'Added by an admin',
};
const emailWords: Record<InvitationEmailStatus, { label: string; color: string }> = {
  not_sent: { label: 'not sent', color: 'gray' },
  queued: { label: 'queued', color: 'blue' },
  sent: { label: 'sent', color: 'green' },
  failed: { label: 'failed', color: 'red' },
  suppressed: { label: 'suppressed', color: 'orange' },
  pre_verified: { label: 'pre-verified (no email)', color: 'grape' },
};

/** The community's Invited directory: who invited each person, when, how, the email's state; revoke and resend. */
export function InvitedList({ communityId }: { readonly communityId: number }) {
  const [q, setQ] = useState('');
  const [term] = useDebouncedValue(q, 200);
  const list = useInvitedMembers(communityId, term);
  const revoke = useInvitationAction(communityId, 'revoke');
  const resend = useInvitationAction(communityId, 'resend');

  const act = (action: typeof revoke, person: InvitedMember, done: string) =>
    action.mutate(person.personId, {
      onSuccess: () => notifications.show({ color: 'green', message: done }),
      onError: (error) =>
        notifications.show({
          color: 'red',
          message: isApiError(error) ? error.message : 'That did not work. Try again.',
        }),
    });

  return (
    <>
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
          title={term ? 'Nobody invited matches' : 'No open invitations'}
          description="People you invite appear here until they join or say “Not now”."
        />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" striped aria-label="Invited people">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
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
                const now = Date.now();
                const canResend = p.resendAllowedAt !== null && p.resendAllowedAt <= now;
                const resendHint =
                  p.resendAllowedAt === null
                    ? 'Pre-verified or suppressed people are never emailed'
                    : canResend
                      ? 'Email the invitation again'
                      : `Allowed again at ${formatDateTime(p.resendAllowedAt)}`;
                return (
                  <Table.Tr key={p.personId}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {`${p.firstName} ${p.lastName}`.trim() || p.email}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {p.email ?? 'no email address'}
                      </Text>
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
                      {email ? (
                        <Badge variant="light" color={email.color}>
                          {email.label}
                        </Badge>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td style={stickyActions}>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <Tooltip label={resendHint}>
                          <Button
                            size="compact-sm"
                            variant="light"
                            disabled={!canResend}
                            loading={resend.isPending && resend.variables === p.personId}
                            onClick={() => act(resend, p, `Invitation emailed again to ${p.email}.`)}
                          >
                            Resend
                          </Button>
                        </Tooltip>
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red"
                          loading={revoke.isPending && revoke.variables === p.personId}
                          onClick={() => act(revoke, p, 'Invitation revoked.')}
                        >
                          Revoke
                        </Button>
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
