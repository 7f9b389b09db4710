import { Alert, Button, Group, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { isApiError } from '../api/client';
import {
  draftOf,
  fieldErrorsOf,
  firstErrorField,
  patchOf,
  type ProviderDraft,
  type ProviderField,
  type ProviderFieldErrors,
} from './provider-form';
import { type IdentityProvider, useUpdateIdentityProvider } from './sso-api';

/**
 * Admin → Single sign-on → Edit: a provider's settings. Only what changed is sent; the client
 * secret and the metadata XML are write-only (blank keeps them). The API's refusals show at their
 * fields, and focus moves to the first one.
 */
export function EditProviderForm({
  provider,
  onDone,
}: {
  readonly provider: IdentityProvider;
  readonly onDone: (saved: boolean) => void;
}) {
  const update = useUpdateIdentityProvider();
  const [draft, setDraft] = useState<ProviderDraft>(() => draftOf(provider));
  const [errors, setErrors] = useState<ProviderFieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const refs = useRef<Partial<Record<ProviderField, HTMLInputElement | HTMLTextAreaElement | null>>>({});
  const problemRef = useRef<HTMLDivElement>(null);
  const refOf = (field: ProviderField) => (el: HTMLInputElement | HTMLTextAreaElement | null) => {
    refs.current[field] = el;
  };
  const text = (field: Exclude<ProviderField, 'trustEmail'>) => ({
    value: draft[field],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setDraft((d) => ({ ...d, [field]: value }));
    },
    error: errors[field],
    ref: refOf(field),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch = patchOf(provider, draft);
    if (Object.keys(patch).length === 0) return onDone(false);
    update.mutate(
      { id: provider.id, patch },
      {
        onSuccess: () => onDone(true),
        onError: (error) => {
          const fields = isApiError(error) ? fieldErrorsOf(error, patch) : {};
          setErrors(fields);
          const first = firstErrorField(fields);
          const general = isApiError(error) ? error.message : 'The provider could not be saved. Try again.';
          // A refusal that names no field is said above the buttons, and focus goes there.
          setProblem(first ? null : general);
          requestAnimationFrame(() => (first ? refs.current[first]?.focus() : problemRef.current?.focus()));
        },
      },
    );
  };

  const oidc = provider.kind === 'oidc';
  return (
    <form onSubmit={submit} noValidate aria-label={`Edit ${provider.name}`}>
      <Stack gap="sm">
        <TextInput label="Name" required {...text('name')} />
        <TextInput label="Button label" description="The sign-in button’s text." required {...text('buttonLabel')} />
        {oidc ? (
          <>
            <TextInput label="Issuer" required {...text('issuer')} />
            <TextInput label="Client ID" required {...text('clientId')} />
            <TextInput
              label="Client secret"
              type="password"
              autoComplete="new-password"
              description="Leave blank to keep the stored secret; a new one replaces it."
              placeholder="(unchanged)"
              {...text('clientSecret')}
            />
            <TextInput label="Scopes" description="Space-separated; openid is always asked for." {...text('scopes')} />
            <TextInput label="Unique ID claim" required {...text('uniqueIdClaim')} />
          </>
        ) : (
          <>
            <TextInput
              label="IdP metadata URL"
              description="Changing it reads the metadata again."
              {...text('metadataUrl')}
            />
            <Textarea
              label="New IdP metadata XML"
              description="Leave blank to keep the current metadata."
              autosize
              minRows={2}
              maxRows={6}
              {...text('metadataXml')}
            />
            <TextInput
              label="IdP entity ID"
              description="Which IdP of a federation’s metadata to use."
              {...text('entityId')}
            />
            <TextInput label="Unique ID attribute" required {...text('uniqueIdAttribute')} />
            <TextInput label="Email attribute" required {...text('emailAttribute')} />
            <TextInput label="First name attribute" description="Optional." {...text('firstNameAttribute')} />
            <TextInput label="Last name attribute" description="Optional." {...text('lastNameAttribute')} />
          </>
        )}
        <TextInput
          label="Required for member types"
          description="Comma-separated; people of these types must sign in here (no email codes)."
          {...text('requiredFor')}
        />
        <Switch
          label="Trust this provider’s verified email addresses"
          description="Only for a provider that owns its addresses (your institution’s domain): it then signs in the person with that address."
          checked={draft.trustEmail}
          onChange={(e) => {
            const checked = e.currentTarget.checked;
            setDraft((d) => ({ ...d, trustEmail: checked }));
          }}
          error={errors.trustEmail}
          ref={refOf('trustEmail')}
        />
        {problem && (
          <Alert color="red" variant="light" role="alert" ref={problemRef} tabIndex={-1}>
            {problem}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => onDone(false)}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
