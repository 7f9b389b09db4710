import { Badge, EmptyState, Group, Paper, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { ErrorState } from '../ui/ErrorState';
import { formatDateTime } from '../ui/format';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { CreateTokenButton } from './CreateTokenButton';
import { RevokeTokenButton } from './RevokeTokenButton';
import { type ApiToken, scopeWords, useApiTokens } from './tokens-api';

const stateColors: Record<ApiToken['state'], string> = { active: 'green', expired: 'gray', revoked: 'red' };

/** /admin/tokens — the site's API tokens: list, create (shown once) and revoke. */
export function TokensPage() {
  const tokens = useApiTokens();
  const items = tokens.data?.tokens ?? [];
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts use the API with an admin’s rights, narrowed to their scopes. Revoke any token you no longer need."
        actions={<CreateTokenButton />}
      />
      <Paper withBorder>
        {tokens.isPending ? (
          <LoadingState label="Loading tokens…" />
        ) : tokens.isError ? (
          <Stack p="md">
            <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
          </Stack>
        ) : items.length === 0 ? (
          <EmptyState py="xl" title="No API tokens" description="Make one for a script with New token." />
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing="sm" aria-label="API tokens">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Scopes</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Creator</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((t) => (
                  <Table.Tr key={t.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {t.name}
                      </Text>
                      {t.owner.id !== t.createdBy?.id && (
                        <Text size="xs" c="dimmed">
                          acts as {t.owner.name || t.owner.email}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        {t.scopes.map((s) => (
                          <Badge key={s} variant="light" size="sm" style={{ minWidth: 'max-content' }}>
                            {scopeWords[s].label}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={stateColors[t.state]} style={{ minWidth: 'max-content' }}>
                        {t.state}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(t.createdAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t.expiresAt === null ? 'Never' : formatDateTime(t.expiresAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t.lastUsedAt === null ? 'Never' : formatDateTime(t.lastUsedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{t.createdBy ? t.createdBy.name || t.createdBy.email : 'Command line'}</Text>
                    </Table.Td>
                    <Table.Td ta="right">{t.state === 'active' && <RevokeTokenButton token={t} />}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}
