import { Alert, Button, Group, Modal, Select, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { communityLimits } from '../../shared/communities';
import { privacies, type Privacy } from '../../shared/enums';
import { isApiError } from '../api/client';
import { type CommunityFields, privacyWords, useSaveCommunity } from './communities-api';

interface Props {
  readonly opened: boolean;
  readonly onClose: () => void;
  /** editing this community; creating when absent */
  readonly community?: {
    id: number;
    name: string;
    headline: string;
    description: string;
    privacy: Privacy;
    slug: string;
  };
  /** site admins use the admin API; leaders their community's */
  readonly asAdmin?: boolean;
}

/** Create or edit a community: name, headline, description, privacy, and (when editing) its address. */
export function CommunityFormModal({ opened, onClose, community, asAdmin = true }: Props) {
  const save = useSaveCommunity(community?.id, asAdmin);
  const form = useForm<CommunityFields>({
    initialValues: community
      ? {
          name: community.name,
          headline: community.headline,
          description: community.description,
          privacy: community.privacy,
          slug: community.slug,
        }
      : { name: '', headline: '', description: '', privacy: 'public' },
    validate: { name: (v) => (v.trim() ? null : 'Enter a name') },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={community ? 'Edit community' : 'New community'} size="lg">
      <form
        onSubmit={form.onSubmit((values) =>
          save.mutate(community ? values : { ...values, slug: undefined }, {
            onSuccess: (c) => {
              notifications.show({
                color: 'green',
                message: community ? 'Saved.' : `Created “${c.name}” (Community ID ${c.id}).`,
              });
              onClose();
            },
            onError: (error) => {
              if (isApiError(error, 'name_taken')) form.setFieldError('name', error.message);
              else if (isApiError(error, 'slug_taken')) form.setFieldError('slug', error.message);
            },
          }),
        )}
      >
        <Stack>
          <TextInput
            label="Name"
            required
            maxLength={communityLimits.nameChars}
            {...form.getInputProps('name')}
            data-autofocus
          />
          <TextInput label="Headline" maxLength={communityLimits.headlineChars} {...form.getInputProps('headline')} />
          <Textarea
            label="Description"
            autosize
            minRows={3}
            maxLength={communityLimits.descriptionChars}
            {...form.getInputProps('description')}
          />
          <Select
            label="Privacy"
            data={privacies.map((p) => ({ value: p, label: privacyWords[p].label }))}
            description={privacyWords[form.values.privacy].help}
            allowDeselect={false}
            {...form.getInputProps('privacy')}
          />
          {community && (
            <TextInput
              label="Address (slug)"
              description="The landing page is /join/<address>; the old address keeps working."
              {...form.getInputProps('slug')}
            />
          )}
          {save.isError && !isApiError(save.error, 'name_taken', 'slug_taken') && (
            <Alert color="red">{isApiError(save.error) ? save.error.message : 'That did not work.'}</Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {community ? 'Save' : 'Create community'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
