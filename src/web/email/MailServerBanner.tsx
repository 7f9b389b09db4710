import { Alert, Text } from '@mantine/core';
import type { EmailTransport } from '../../shared/email';
import { formatDateTime } from '../ui/format';

/**
 * Says that the mail server cannot be reached: since when emails wait, the last error, and when
 * Convene tries the server again. Nothing is shown while it answers.
 */
export function MailServerBanner({ transport }: { transport: EmailTransport | undefined }) {
  if (transport?.state !== 'unreachable') return null;
  return (
    <Alert color="orange" title="The mail server cannot be reached" role="status">
      <Text size="sm">
        Emails are waiting since {formatDateTime(transport.unreachableSince)}; none is lost, and none uses up its tries
        while the server is away. Convene checks the server again
        {transport.nextProbeAt ? ` at ${formatDateTime(transport.nextProbeAt)}` : ' shortly'} and sends them as soon as
        it answers.
      </Text>
      {transport.lastError && (
        <Text size="sm" mt={4}>
          Last error:{' '}
          <Text span ff="monospace" size="sm">
            {transport.lastError}
          </Text>
        </Text>
      )}
    </Alert>
  );
}
