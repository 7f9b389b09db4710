import { Alert, Text } from '@mantine/core';
import type { SignInCodeAnswer } from './auth-api';

interface CodeDeliveryNoteProps {
  readonly email: string;
  readonly answer: SignInCodeAnswer;
  /** "sign-in link" or "link" */
  readonly linkName: string;
  /** the text colour of the page's paragraphs */
  readonly color?: string;
}

function waitInWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * What became of the request for a code, in words: sent, or held back by the address's send
 * limits, and then which code works where and when a new one may be asked for.
 */
export function CodeDeliveryNote({ email, answer, linkName, color }: CodeDeliveryNoteProps) {
  const address = (
    <Text span fw={600}>
      {email}
    </Text>
  );
  const minutes = Math.round(answer.expiresInSeconds / 60);
  switch (answer.delivery) {
    case 'sent':
      return (
        <Text size="sm" c={color}>
          We sent a 6-digit code to {address}. It works for {minutes} minutes. You can also open the {linkName} in that
          email, in this browser.
        </Text>
      );
    case 'sent_earlier':
      return (
        <Text size="sm" c={color}>
          We sent a 6-digit code to {address} less than a minute ago, for this browser: use that one (no second email
          was sent). It works for {minutes} minutes.
        </Text>
      );
    case 'sent_elsewhere':
      return (
        <Alert color="orange" variant="light" title="A code was just sent for another browser" role="status">
          A code for {address} was asked for less than a minute ago in another browser or on another device, and it
          works only there: if that was you, type it there. To continue here instead, ask for a new code for this
          browser in {waitInWords(answer.resendAfterSeconds)} (the button below).
        </Alert>
      );
    case 'hourly_limit':
      return (
        <Alert color="orange" variant="light" title="No new code this hour" role="status">
          {address} has had as many codes as we send in an hour, so no new one was sent. Use the newest code you
          received, in the browser that asked for it, or ask again here in {waitInWords(answer.resendAfterSeconds)}.
        </Alert>
      );
  }
}
