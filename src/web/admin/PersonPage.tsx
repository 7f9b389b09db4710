import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CopyButton,
  EmptyState,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import {
  type PersonAction,
  type PersonDetail,
  statusWords,
  usePerson,
  usePersonAction,
  usePersonAudit,
  useRegenerateInviteUrl,
} from './people-api';

/** /admin/members/:id — a person's IDs, status, communities and invitations, and the actions that fit. */
export function PersonPage() {
  const id = Number(useParams().id);
  const person = usePerson(id);
  if (person.isPending) return <LoadingState />;
  if (person.isError) return <ErrorState error={person.error} title="This person could not be loaded" />;
  const p = person.data;
  const name = `${p.firstName} ${p.lastName}`.trim() || '(no name yet)';
  return (
    <>
      <PageHeader
        title={name}
        description={
          <Anchor component={Link} to={`/admin/members?tab=${p.isAdmin ? 'admins' : p.status}`} size="sm">
            ← Members
          </Anchor>
        }
        actions={<PersonActions person={p} />}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">
        <Field label="Profile ID" value={String(p.id)} mono />
        <Field label="Unique ID" value={p.uniqueId ?? '—'} mono />
        <Field
          label="Pre-verification ID"
          value={p.preverificationId === null ? '—' : String(p.preverificationId)}
          mono
        />
        <Field
          label="Status"
          value={
            <Group gap="xs">
              <Badge variant="light" color={statusWords[p.status].color}>
                {statusWords[p.status].label}
              </Badge>
              {p.isAdmin && <Badge variant="outline">Site admin</Badge>}
            </Group>
          }
        />
        <Field label="Email" value={p.email ?? '—'} />
        <Field label="Member type" value={p.memberType ?? '—'} />
        <Field label="Added" value={formatDateTime(p.createdAt)} />
        <Field label="Active since" value={p.activatedAt ? formatDateTime(p.activatedAt) : '—'} />
        <Field label="Last sign-in" value={p.lastSignInAt ? formatDateTime(p.lastSignInAt) : '—'} />
      </SimpleGrid>
      <Title order={2} size="h4" mb="sm">
        Communities and invitations
      </Title>
      <Card withBorder p={0}>
        {p.memberships.length === 0 ? (
          <EmptyState
            py="lg"
            size="sm"
            title="No communities yet"
            description="Invitations, requests and memberships appear here."
          />
        ) : (
          <Table verticalSpacing="xs" aria-label="Communities and invitations">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Community</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Invited by</Table.Th>
                <Table.Th>Invited</Table.Th>
                <Table.Th>Joined</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {p.memberships.map((m) => (
                <Table.Tr key={m.communityId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/communities/${m.communityId}`}>
                      {m.communityName}
                    </Anchor>{' '}
                    <Text span size="xs" c="dimmed">
                      #{m.communityId}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={m.state === 'joined' ? 'green' : m.state === 'invited' ? 'blue' : 'gray'}
                    >
                      {m.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{m.role}</Table.Td>
                  <Table.Td>{m.invitedBy ?? '—'}</Table.Td>
                  <Table.Td>{m.invitedAt ? formatDateTime(m.invitedAt) : '—'}</Table.Td>
                  <Table.Td>{m.joinedAt ? formatDateTime(m.joinedAt) : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <PersonActivity personId={p.id} />
    </>
  );
}

const actionWords: Record<string, string> = {
  'person.preverify': 'Pre-verified',
  'person.approve': 'Approved',
  'person.reject': 'Rejected',
  'person.deactivate': 'Deactivated',
  'person.reactivate': 'Reactivated',
  'person.admin_grant': 'Made site admin',
  'person.admin_revoke': 'Site admin revoked',
  'person.invite_url': 'New invite URL made',
};

/** The audit log about this person: who did what, when. */
function PersonActivity({ personId }: { readonly personId: number }) {
  const audit = usePersonAudit(personId);
  const items = audit.data?.items ?? [];
  if (!items.length) return null;
  return (
    <>
      <Title order={2} size="h4" mt="lg" mb="sm">
        Activity
      </Title>
      <Card withBorder p={0}>
        <Table verticalSpacing="xs" aria-label="Activity">
          <Table.Tbody>
            {items.map((e) => (
              <Table.Tr key={e.id}>
                <Table.Td>{actionWords[e.action] ?? e.action}</Table.Td>
                <Table.Td>{e.actorName ? `by ${e.actorName}` : 'by the system'}</Table.Td>
                <Table.Td>{formatDateTime(e.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </>
  );
}

function Field({
  label,
  value,
  mono,
}: {
  readonly label: string;
  readonly value: React.ReactNode;
  readonly mono?: boolean;
}) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      {typeof value === 'string' ? (
        <Text ff={mono ? 'monospace' : undefined} fw={500}>
          {value}
        </Text>
      ) : (
        value
      )}
    </Card>
  );
}

/** The actions that fit the person's status. */
function PersonActions({ person }: { readonly person: PersonDetail }) {
  const action = usePersonAction(person.id);
  const navigate = useNavigate();
  const [approveOpen, approve] = useDisclosure(false);
  const run = (a: PersonAction, done: string, after?: () => void) =>
    action.mutate(a, {
      onSuccess: (res) => {
        notifications.show({ color: 'green', message: done });
        const merged = 'person' in res && res.person && res.person.id !== person.id ? res.person.id : undefined;
        if (merged) navigate(`/admin/members/${merged}`, { replace: true });
        after?.();
      },
      onError: (error) =>
        notifications.show({
          color: 'red',
          message: isApiError(error) ? error.message : 'That did not work. Try again.',
        }),
    });
  const [asking, setAsking] = useState<{ title: string; body: string; label: string; run: () => void } | null>(null);
  const confirm = (title: string, body: string, label: string, a: PersonAction, done: string, after?: () => void) =>
    setAsking({
      title,
      body,
      label,
      run: () =>
        run(a, done, () => {
          setAsking(null);
          after?.();
        }),
    });
  const s = person.status;
  return (
    <>
      {s === 'pending' && <Button onClick={approve.open}>Approve</Button>}
      {s === 'pending' && (
        <Button
          variant="default"
          color="red"
          onClick={() =>
            confirm(
              'Reject this person?',
              'Their sign-up is removed. They may sign up again later.',
              'Reject',
              { kind: 'reject' },
              'Rejected.',
              () => navigate('/admin/members?tab=pending'),
            )
          }
        >
          Reject
        </Button>
      )}
      {s === 'pre_verified' && <InviteUrlButton personId={person.id} />}
      {s === 'inactive' && (
        <Button onClick={() => run({ kind: 'reactivate' }, 'Reactivated.')} loading={action.isPending}>
          Reactivate
        </Button>
      )}
      {s === 'active' &&
        (person.isAdmin ? (
          <Button
            variant="default"
            onClick={() =>
              confirm(
                'Revoke site admin?',
                'They keep their membership but lose admin rights; their sessions end.',
                'Revoke admin',
                { kind: 'admin', isAdmin: false },
                'Admin revoked.',
              )
            }
          >
            Revoke admin
          </Button>
        ) : (
          <Button variant="default" onClick={() => run({ kind: 'admin', isAdmin: true }, 'Now a site admin.')}>
            Make site admin
          </Button>
        ))}
      {(s === 'active' || s === 'pre_verified' || s === 'invited') && (
        <Button
          variant="default"
          color="red"
          onClick={() =>
            confirm(
              'Deactivate this person?',
              'They are signed out at once and their open invitations are closed. Reactivation does not reopen them.',
              'Deactivate',
              { kind: 'deactivate' },
              'Deactivated.',
            )
          }
        >
          Deactivate
        </Button>
      )}
      <Modal opened={asking !== null} onClose={() => setAsking(null)} title={asking?.title}>
        <Stack>
          <Text size="sm">{asking?.body}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(null)}>
              Cancel
            </Button>
            <Button color="red" loading={action.isPending} onClick={() => asking?.run()}>
              {asking?.label}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ApproveModal
        opened={approveOpen}
        onClose={approve.close}
        onApprove={(uniqueId) => run({ kind: 'approve', uniqueId }, 'Approved.', approve.close)}
        loading={action.isPending}
      />
    </>
  );
}

function ApproveModal({
  opened,
  onClose,
  onApprove,
  loading,
}: {
  readonly opened: boolean;
  readonly onClose: () => void;
  readonly onApprove: (uniqueId: string) => void;
  readonly loading: boolean;
}) {
  const [uniqueId, setUniqueId] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title="Approve this person">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onApprove(uniqueId.trim());
        }}
      >
        <Stack>
          <TextInput
            label="Unique ID (optional)"
            description="If a pre-verified person has this Unique ID, the two records become one."
            value={uniqueId}
            onChange={(e) => setUniqueId(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={loading}>
              Approve
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Invite URLs are stored hashed: showing one means making a new one (the old link stops working). */
function InviteUrlButton({ personId }: { readonly personId: number }) {
  const regenerate = useRegenerateInviteUrl(personId);
  const [url, setUrl] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  return (
    <>
      <Button variant="default" loading={regenerate.isPending} onClick={() => setAsking(true)}>
        Copy invite URL
      </Button>
      <Modal opened={asking} onClose={() => setAsking(false)} title="Make a new invite URL?">
        <Stack>
          <Text size="sm">
            Invite URLs are stored scrambled, so the one sent earlier cannot be shown again. Making a new one stops the
            earlier URL from working: anyone who has it will need the new one.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)} data-autofocus>
              Cancel
            </Button>
            <Button
              loading={regenerate.isPending}
              onClick={() =>
                regenerate.mutate(undefined, {
                  onSuccess: (r) => {
                    setAsking(false);
                    setUrl(r.inviteUrl);
                  },
                })
              }
            >
              Make a new URL
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={url !== null} onClose={() => setUrl(null)} title="Personal invite URL">
        <Stack>
          <Alert color="blue">
            A new URL was made; the previous one no longer works. It opens a personal welcome page where they confirm
            their email with a code.
          </Alert>
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="invite-url">
            {url}
          </Text>
          <Group justify="flex-end">
            <CopyButton value={url ?? ''}>
              {({ copied, copy }) => <Button onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}
            </CopyButton>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
