import {
  Alert,
  Badge,
  Button,
  Code,
  EmptyState,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { IdentityProviderBody } from '../../shared/sso';
import { isApiError } from '../api/client';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { EditProviderForm } from './EditProviderForm';
import {
  type IdentityProvider,
  useCreateIdentityProvider,
  useDeleteIdentityProvider,
  useIdentityProviders,
  useUpdateIdentityProvider,
} from './sso-api';

/** What the identity provider's admin needs from this site, per kind. */
function ForTheIdpAdmin({ provider }: { readonly provider: IdentityProvider }) {
  const rows: [string, string][] = provider.oidc
    ? [['Redirect URI', provider.oidc.redirectUri]]
    : provider.saml
      ? [
          ['SP metadata URL', provider.saml.spMetadataUrl],
          ['SP entity ID', provider.saml.spEntityId],
          ['ACS URL (HTTP-POST)', provider.saml.acsUrl],
        ]
      : [];
  return (
    <Table aria-label={`What ${provider.name}'s admin needs`} withRowBorders={false} verticalSpacing={4}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th scope="row" w={180}>
              <Text size="sm">{label}</Text>
            </Table.Th>
            <Table.Td>
              <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ProviderCard({ provider }: { readonly provider: IdentityProvider }) {
  const update = useUpdateIdentityProvider();
  const remove = useDeleteIdentityProvider();
  const [confirm, setConfirm] = useState(false);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <Paper withBorder p="md">
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${provider.name}`} size="lg">
        <EditProviderForm
          provider={provider}
          onDone={(changed) => {
            setEditing(false);
            setSaved(changed);
          }}
        />
      </Modal>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Group gap="xs">
            <Title order={2} size="h4">
              {provider.name}
            </Title>
            <Badge variant="light" color={provider.kind === 'oidc' ? 'blue' : 'grape'}>
              {provider.kind === 'oidc' ? 'OpenID Connect' : 'SAML 2.0'}
            </Badge>
            {provider.trustEmail && (
              <Badge variant="light" color="teal">
                Trusted for email
              </Badge>
            )}
          </Group>
          <Switch
            label="Enabled"
            checked={provider.enabled}
            disabled={update.isPending}
            onChange={(e) => update.mutate({ id: provider.id, patch: { enabled: e.currentTarget.checked } })}
          />
        </Group>
        <Text size="sm">
          Button: <strong>{provider.buttonLabel}</strong>
          {provider.oidc && (
            <>
              {' '}
              · Issuer <Code>{provider.oidc.issuer}</Code> · Unique ID claim <Code>{provider.oidc.uniqueIdClaim}</Code>
            </>
          )}
          {provider.saml && (
            <>
              {' '}
              · IdP <Code>{provider.saml.entityId}</Code> · Unique ID attribute{' '}
              <Code>{provider.saml.uniqueIdAttribute}</Code>
            </>
          )}
        </Text>
        {provider.requiredForMemberTypes.length > 0 && (
          <Text size="sm">Required for: {provider.requiredForMemberTypes.join(', ')} (no email codes for them)</Text>
        )}
        <Text size="sm" fw={500}>
          For the identity provider’s admin
        </Text>
        <ForTheIdpAdmin provider={provider} />
        <div role="status">
          {saved && (
            <Alert color="green" variant="light">
              The changes to {provider.name} are saved.
            </Alert>
          )}
        </div>
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
            aria-label={`Edit ${provider.name}`}
          >
            Edit…
          </Button>
          {confirm ? (
            <>
              <Text size="sm">Remove {provider.name} and its people’s links?</Text>
              <Button variant="default" onClick={() => setConfirm(false)}>
                Keep
              </Button>
              <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(provider.id)}>
                Remove
              </Button>
            </>
          ) : (
            <Button variant="subtle" color="red" onClick={() => setConfirm(true)}>
              Remove…
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function AddProviderForm({ onDone }: { readonly onDone: () => void }) {
  const create = useCreateIdentityProvider();
  const [kind, setKind] = useState<'oidc' | 'saml'>('oidc');
  const [f, setF] = useState({
    name: '',
    buttonLabel: '',
    issuer: '',
    clientId: '',
    clientSecret: '',
    uniqueIdClaim: 'sub',
    metadataUrl: '',
    metadataXml: '',
    uniqueIdAttribute: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
    emailAttribute: 'urn:oid:0.9.2342.19200300.100.1.3',
    requiredFor: '',
    trustEmail: false,
  });
  const set = (key: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [key]: e.currentTarget.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const common = {
      name: f.name,
      ...(f.buttonLabel.trim() ? { buttonLabel: f.buttonLabel } : {}),
      trustEmail: f.trustEmail,
      requiredForMemberTypes: f.requiredFor
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
    const body: IdentityProviderBody =
      kind === 'oidc'
        ? {
            kind,
            ...common,
            issuer: f.issuer,
            clientId: f.clientId,
            clientSecret: f.clientSecret,
            uniqueIdClaim: f.uniqueIdClaim,
          }
        : {
            kind,
            ...common,
            ...(f.metadataXml.trim() ? { metadataXml: f.metadataXml } : { metadataUrl: f.metadataUrl }),
            uniqueIdAttribute: f.uniqueIdAttribute,
            emailAttribute: f.emailAttribute,
          };
    create.mutate(body, { onSuccess: onDone });
  };
  const problem = create.isError
    ? isApiError(create.error)
      ? create.error.message
      : 'The provider could not be saved.'
    : null;
  return (
    <form onSubmit={submit} aria-label="Add an identity provider">
      <Stack gap="sm">
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'oidc' | 'saml')}
          data={[
            { label: 'OpenID Connect', value: 'oidc' },
            { label: 'SAML 2.0', value: 'saml' },
          ]}
          aria-label="Protocol"
        />
        <TextInput label="Name" required value={f.name} onChange={set('name')} placeholder="Northfield University" />
        <TextInput
          label="Button label"
          description="Default: Sign in with <name>"
          value={f.buttonLabel}
          onChange={set('buttonLabel')}
        />
        {kind === 'oidc' ? (
          <>
            <TextInput
              label="Issuer"
              required
              value={f.issuer}
              onChange={set('issuer')}
              placeholder="https://login.example.edu"
            />
            <TextInput label="Client ID" required value={f.clientId} onChange={set('clientId')} />
            <TextInput
              label="Client secret"
              type="password"
              required
              value={f.clientSecret}
              onChange={set('clientSecret')}
              description="Stored encrypted; never shown again."
            />
            <TextInput label="Unique ID claim" required value={f.uniqueIdClaim} onChange={set('uniqueIdClaim')} />
          </>
        ) : (
          <>
            <TextInput label="IdP metadata URL" value={f.metadataUrl} onChange={set('metadataUrl')} />
            <Textarea
              label="…or the IdP metadata XML"
              autosize
              minRows={2}
              maxRows={6}
              value={f.metadataXml}
              onChange={set('metadataXml')}
            />
            <TextInput
              label="Unique ID attribute"
              required
              value={f.uniqueIdAttribute}
              onChange={set('uniqueIdAttribute')}
            />
            <TextInput label="Email attribute" required value={f.emailAttribute} onChange={set('emailAttribute')} />
          </>
        )}
        <TextInput
          label="Required for member types"
          description="Comma-separated; people of these types must sign in here (no email codes)."
          value={f.requiredFor}
          onChange={set('requiredFor')}
        />
        <Switch
          label="Trust this provider’s verified email addresses"
          description="Only for a provider that owns its addresses (your institution’s domain): it then signs in the person with that address."
          checked={f.trustEmail}
          onChange={(e) => setF({ ...f, trustEmail: e.currentTarget.checked })}
        />
        {problem && (
          <Alert color="red" variant="light" role="alert">
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending}>
            Add provider
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** /admin/sso — single sign-on: the identity providers, what their admins need, and adding one. */
export function AdminSsoPage() {
  const providers = useIdentityProviders();
  const [adding, setAdding] = useState(false);
  const items = providers.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="People sign in through your institution’s identity provider (OpenID Connect or SAML 2.0) next to email codes."
        actions={<Button onClick={() => setAdding(true)}>Add provider</Button>}
      />
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add an identity provider" size="lg">
        <AddProviderForm onDone={() => setAdding(false)} />
      </Modal>
      {providers.isPending ? (
        <LoadingState label="Loading providers…" />
      ) : providers.isError ? (
        <ErrorState error={providers.error} onRetry={() => void providers.refetch()} />
      ) : items.length === 0 ? (
        <Paper withBorder>
          <EmptyState py="xl" title="No identity providers" description="Add one with Add provider." />
        </Paper>
      ) : (
        <Stack gap="md" maw={960}>
          {items.map((p) => (
            <ProviderCard key={p.id} provider={p} />
          ))}
        </Stack>
      )}
    </>
  );
}
