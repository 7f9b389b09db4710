import { ActionIcon, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { InviteDialog } from './InviteDialog';

/**
 * The Members tab's "+" button (show it to site admins and the community's leaders): opens the
 * invite dialog.
 */
export function InviteButton({
  communityId,
  communityName,
}: {
  readonly communityId: number;
  readonly communityName: string;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Tooltip label="Invite members">
        <ActionIcon size="lg" radius="xl" onClick={open} aria-label="Invite members">
          <span aria-hidden style={{ fontSize: 22, lineHeight: 1, fontWeight: 600 }}>
            +
          </span>
        </ActionIcon>
      </Tooltip>
      <InviteDialog communityId={communityId} communityName={communityName} opened={opened} onClose={close} />
    </>
  );
}
