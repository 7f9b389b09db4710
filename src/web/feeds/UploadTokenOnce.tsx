import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';

/** The feed's upload token, shown once, with a copy button and the address scripts PUT files to. */
export function UploadTokenOnce({
  token,
  uploadUrl,
  onDone,
}: {
  token: string;
  uploadUrl: string;
  onDone: () => void;
}) {
  return (
    <Stack>
      <Alert color="green" title="Copy the upload token now">
        Scripts upload a file with <code>PUT</code> to the address below, sending <code>Authorization: Bearer …</code>{' '}
        with this token. It is shown only once; if you lose it, make a new one.
      </Alert>
      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="feed-upload-token">
        {token}
      </Text>
      <Text size="sm" fw={500}>
        Upload address
      </Text>
      <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="feed-upload-url">
        {uploadUrl}
      </Code>
      <Group justify="flex-end">
        <CopyButton value={token}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
        <Button onClick={onDone}>Done</Button>
      </Group>
    </Stack>
  );
}

/** The PUT address of a feed's upload: the feed's upload path followed by the file's name. */
export function uploadUrlOf(uploadPath: string): string {
  return `${window.location.origin}${uploadPath}<file name>`;
}
