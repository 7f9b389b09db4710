import {
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  Radio,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { LandingPolicy } from '../../shared/enums';
import { landingLimits, type LandingSettings, type LandingSettingsInput } from '../../shared/landing';
import { ApiError, useMe } from '../api/client';
import { landingSettingsKey, updateLandingSettings } from './landing-api';

const policies: readonly { value: LandingPolicy; label: string; description: string }[] = [
  {
    value: 'anyone',
    label: 'Anyone with a verified email',
    description:
      'New people get a site account and become members as soon as they verify their address, with no approval. Only a site admin can choose this.',
  },
  {
    value: 'domains',
    label: 'Only these email domains',
    description: 'Addresses at the domains below join at once; others wait for a site admin.',
  },
  {
    value: 'known',
    label: 'Only people the site already knows',
    description: 'People new to the site wait for a site admin; their join happens on approval.',
  },
];

function errorText(error: unknown): string {
  return error instanceof ApiError ? error.message : 'The settings could not be saved. Try again.';
}

/** Switch the page on or off, and its address, words and sign-up policy. */
export function LandingSettingsForm({ settings }: { readonly settings: LandingSettings }) {
  const queryClient = useQueryClient();
  const isAdmin = useMe().data?.isAdmin === true;
  const id = settings.communityId;
  const [slug, setSlug] = useState(settings.slug);
  const [headline, setHeadline] = useState(settings.landingHeadline ?? '');
  const [welcome, setWelcome] = useState(settings.landingWelcome ?? '');
  const [policy, setPolicy] = useState<LandingPolicy>(settings.landingPolicy);
  const [domains, setDomains] = useState<string[]>([...settings.landingDomains]);
  const [profileRequired, setProfileRequired] = useState(settings.landingProfileRequired);
  const save = useMutation({
    mutationFn: (input: LandingSettingsInput) => updateLandingSettings(id, input),
    onSuccess: (saved) => {
      queryClient.setQueryData(landingSettingsKey(id), saved);
      setSlug(saved.slug);
      setPolicy(saved.landingPolicy);
      setDomains([...saved.landingDomains]);
      setProfileRequired(saved.landingProfileRequired);
    },
  });

  const toggle = (enabled: boolean) =>
    save.mutate(
      { landingEnabled: enabled },
      {
        onSuccess: () =>
          notifications.show({
            color: 'teal',
            title: enabled ? 'The landing page is on' : 'The landing page is off',
            message: enabled
              ? 'People with the link can join as the policy below says.'
              : 'The link now shows “not available”.',
          }),
      },
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        slug,
        landingHeadline: headline,
        landingWelcome: welcome,
        landingPolicy: policy,
        landingDomains: domains,
        landingProfileRequired: profileRequired,
      },
      {
        onSuccess: () =>
          notifications.show({ color: 'teal', title: 'Saved', message: 'The landing page settings are saved.' }),
      },
    );
  };
  const origin = settings.url.slice(0, settings.url.length - `/join/${settings.slug}`.length);
  return (
    <Paper withBorder p="lg">
      <Stack gap="md">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h4">
            Landing page
          </Title>
          <Switch
            size="md"
            label={settings.landingEnabled ? 'On' : 'Off'}
            checked={settings.landingEnabled}
            onChange={(e) => toggle(e.currentTarget.checked)}
            disabled={save.isPending}
            aria-label="Landing page on"
          />
        </Group>
        <Text size="sm" c="gray.7">
          A public page where people join {settings.name} with a verified email address, as the policy below allows.
          When a site admin has closed sign-up, nobody new to the site can join from it. Share its link or QR code.
        </Text>
        {save.isError && (
          <Alert color="red" variant="light" title="Not saved" role="alert">
            {errorText(save.error)}
          </Alert>
        )}
        <form onSubmit={submit} noValidate aria-label="Landing page settings">
          <Stack gap="md">
            <TextInput
              label="Page address"
              leftSection={
                <Text size="xs" c="gray.7" pl={6}>
                  /join/
                </Text>
              }
              leftSectionWidth={52}
              description={`${origin}/join/${slug || '…'} — the old address keeps working after a change.`}
              value={slug}
              onChange={(e) => setSlug(e.currentTarget.value.toLowerCase())}
              maxLength={landingLimits.slugMaxChars}
              required
            />
            <TextInput
              label="Headline"
              placeholder={settings.defaults.headline || 'The community’s headline'}
              description="Leave empty to use the community’s own headline."
              value={headline}
              onChange={(e) => setHeadline(e.currentTarget.value)}
              maxLength={landingLimits.headlineChars}
            />
            <Textarea
              label="Welcome text"
              placeholder={settings.defaults.welcome || 'The community’s description'}
              description="Leave empty to use the community’s description."
              value={welcome}
              autosize
              minRows={3}
              maxRows={10}
              onChange={(e) => setWelcome(e.currentTarget.value)}
              maxLength={landingLimits.welcomeChars}
            />
            <Radio.Group
              label="Who can join from the page"
              description="People the site already knows (active, pre-verified or invited) always join."
              value={policy}
              onChange={(v) => setPolicy(v as LandingPolicy)}
            >
              <Stack gap="xs" mt="xs">
                {/* A leader sees "anyone" only when an admin chose it, and cannot choose it back once changed. */}
                {policies
                  .filter((p) => isAdmin || p.value !== 'anyone' || settings.landingPolicy === 'anyone')
                  .map((p) => (
                    <Radio
                      key={p.value}
                      value={p.value}
                      label={p.label}
                      description={p.description}
                      disabled={!isAdmin && p.value === 'anyone' && policy !== 'anyone'}
                    />
                  ))}
              </Stack>
            </Radio.Group>
            {policy === 'anyone' && settings.privacy !== 'public' && (
              <Alert color="orange" variant="light" title="Anyone can join this private community" role="status">
                {settings.name} is {settings.privacy === 'invite_only' ? 'invite-only' : 'private'}, but with this
                policy anyone who verifies an email address on its page becomes a member at once, with no approval, and
                sees what members see. Choose “Only people the site already knows” or “Only these email domains” to keep
                it closed to strangers.
              </Alert>
            )}
            {policy === 'domains' && (
              <TagsInput
                label="Email domains"
                description="Type a domain such as example.edu and press Enter. Subdomains count too."
                placeholder="example.edu"
                value={domains}
                onChange={setDomains}
                maxTags={landingLimits.domains}
                splitChars={[',', ' ', ';']}
                clearable
              />
            )}
            <Checkbox
              label="Require a name (and member type) from new people"
              description="Off: new people are asked for them but may skip; only their email is verified."
              checked={profileRequired}
              onChange={(e) => setProfileRequired(e.currentTarget.checked)}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Paper>
  );
}
