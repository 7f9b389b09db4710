import { Button, Group, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import {
  type MyNotifications,
  type NotificationKind,
  notificationKindModes,
  notificationSettingKeys,
  type NotificationSettings,
} from '../../shared/notifications';
import { ErrorState } from '../ui/ErrorState';
import { useSaveNotifications } from './profile-api';
import { kindWords, modeWords } from './notification-words';

/** One choice per kind that concerns the person (leaders: join requests; admins: the approval digest). */
export function NotificationSettingsForm({ current }: { readonly current: MyNotifications }) {
  const [settings, setSettings] = useState<NotificationSettings>(current.settings);
  const save = useSaveNotifications();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const patch = Object.fromEntries(
      current.relevant.map((kind) => [notificationSettingKeys[kind], settings[notificationSettingKeys[kind]]]),
    );
    save.mutate(patch, {
      onSuccess: () => notifications.show({ color: 'green', message: 'Your notification settings are saved.' }),
    });
  };
  const choose = (kind: NotificationKind, mode: string) =>
    setSettings((s) => ({ ...s, [notificationSettingKeys[kind]]: mode }));
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="profile-notifications">
      <form onSubmit={submit}>
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={2} size="h4" id="profile-notifications">
              Email notifications
            </Title>
            <Text size="sm" c="dimmed">
              Every notification email also has a link to stop that kind of email. Invitations and sign-in codes are not
              notifications and are not changed here.
            </Text>
          </Stack>
          {current.relevant.map((kind) => (
            <Radio.Group
              key={kind}
              label={kindWords[kind].label}
              description={kindWords[kind].description}
              value={settings[notificationSettingKeys[kind]]}
              onChange={(mode) => choose(kind, mode)}
            >
              <Group gap="lg" mt="xs">
                {notificationKindModes[kind].modes.map((mode) => (
                  <Radio key={mode} value={mode} label={modeWords[mode]} />
                ))}
              </Group>
            </Radio.Group>
          ))}
          {save.isError && <ErrorState error={save.error} title="Your settings were not saved" />}
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save notification settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
