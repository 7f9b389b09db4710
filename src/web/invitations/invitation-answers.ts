/** The words of an invitee's answers: what each button says to a screen reader, and what the page announces after it. */
import type { InvitationAnswer } from './invitations-api';

/** The accessible name of an answer's button: the visible word first, then the community it acts on. */
export function answerLabel(answer: InvitationAnswer, communityName: string): string {
  switch (answer) {
    case 'join':
      return `Join ${communityName}`;
    case 'dismiss':
      return `Not now: hide the invitation to ${communityName}`;
    case 'decline':
      return `Decline the invitation to ${communityName}`;
    case 'restore':
      return `Show again: the invitation to ${communityName}`;
  }
}

/** What the page announces once an answer went through. */
export function answerDone(answer: InvitationAnswer, communityName: string): string {
  switch (answer) {
    case 'join':
      return `You joined ${communityName}.`;
    case 'dismiss':
      return `The invitation to ${communityName} is hidden. It stays open under Hidden invitations.`;
    case 'decline':
      return `You declined the invitation to ${communityName}.`;
    case 'restore':
      return `The invitation to ${communityName} is back under Recommended Communities.`;
  }
}
