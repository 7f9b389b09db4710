import { Alert, Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { InviteResponse, InviteResult } from '../../shared/invitations';

const outcomeColor: Record<InviteResult['outcome'], string> = {
  invited: 'green',
  already_invited: 'blue',
  skipped: 'gray',
};
const outcomeWords: Record<InviteResult['outcome'], string> = {
  invited: 'Invited',
  already_invited: 'Already invited',
  skipped: 'Skipped',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The answer to Invite Members: a summary, then one line per recipient in plain words. */
export function InviteResults({ response }: { readonly response: InviteResponse }) {
  const { summary } = response;
  // The dialog's words: recipients are people and addresses; what is not an email address is counted apart.
  const notEmails = response.results.filter((r) => r.reason === 'invalid_email').length;
  const recipients = summary.recipients - notEmails;
  const skipped = summary.skipped - notEmails;
  const parts = [
    `${summary.invited} invited`,
    `${plural(summary.emailed, 'email')} queued`,
    ...(summary.alreadyInvited ? [`${summary.alreadyInvited} already invited`] : []),
    ...(skipped ? [`${skipped} skipped`] : []),
  ];
  const apart = [
    ...(notEmails ? [`${notEmails} not an email address, skipped`] : []),
    ...(summary.duplicatesMerged ? [`${plural(summary.duplicatesMerged, 'duplicate')} merged`] : []),
  ];
  return (
    <Stack gap="sm">
      <Alert
        color={summary.invited ? 'green' : 'gray'}
        variant="light"
        title={[`${plural(recipients, 'recipient')}: ${parts.join(', ')}`, ...apart].join(' · ')}
        role="status"
      >
        <Text size="sm">Invited people see the invitation on their home screen under Recommended Communities.</Text>
      </Alert>
      <Table striped withTableBorder verticalSpacing="xs" aria-label="Invitation results" data-testid="invite-results">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Recipient</Table.Th>
            <Table.Th>Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {response.results.map((r, i) => (
            <Table.Tr key={`${r.email ?? r.personId}-${i}`} data-email={r.email ?? ''} data-reason={r.reason}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {r.name ?? r.email ?? `Person #${r.personId}`}
                </Text>
                {r.name && r.email && (
                  <Text size="xs" c="dimmed">
                    {r.email}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <Badge size="sm" variant="light" color={outcomeColor[r.outcome]} style={{ flexShrink: 0 }}>
                    {outcomeWords[r.outcome]}
                  </Badge>
                  <Text size="sm">
                    {r.message}
                    {r.created ? ' (new to the site)' : ''}
                  </Text>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
