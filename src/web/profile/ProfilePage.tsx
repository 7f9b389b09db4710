import { Stack } from '@mantine/core';
import { useMe } from '../api/client';
import { LinkedAccounts } from '../sso/LinkedAccounts';
import { ErrorState } from '../ui/ErrorState';
import { LoadingState } from '../ui/LoadingState';
import { PageHeader } from '../ui/PageHeader';
import { NameForm } from './NameForm';
import { NotificationSettingsForm } from './NotificationSettingsForm';
import { useMyNotifications } from './profile-api';

/** /profile — the signed-in person's name and notification settings (from the user menu). */
export function ProfilePage() {
  const me = useMe();
  const settings = useMyNotifications();
  return (
    <>
      <PageHeader title="Your profile" description={me.data?.email ?? undefined} />
      {me.isPending || settings.isPending ? (
        <LoadingState />
      ) : me.isError || !me.data ? (
        <ErrorState error={me.error} title="Your profile could not be opened" />
      ) : settings.isError ? (
        <ErrorState error={settings.error} title="Your notification settings could not be opened" />
      ) : (
        <Stack gap="lg" maw={720}>
          <NameForm me={me.data} />
          <NotificationSettingsForm current={settings.data} />
          <LinkedAccounts />
        </Stack>
      )}
    </>
  );
}
