import { describe, expect, it } from 'vitest';
import { answerDone, answerLabel } from './invitation-answers';

describe('invitation answers', () => {
  it('names the community in every button, after the word the button shows', () => {
    expect(answerLabel('join', 'Alumni Choir')).toBe('Join Alumni Choir');
    expect(answerLabel('dismiss', 'Alumni Choir')).toBe('Not now: hide the invitation to Alumni Choir');
    expect(answerLabel('decline', 'Alumni Choir')).toBe('Decline the invitation to Alumni Choir');
    expect(answerLabel('restore', 'Alumni Choir')).toBe('Show again: the invitation to Alumni Choir');
  });

  it('announces where a hidden invitation went and where a restored one is', () => {
    expect(answerDone('dismiss', 'Chess Club')).toContain('under Hidden invitations');
    expect(answerDone('restore', 'Chess Club')).toContain('back under Recommended Communities');
    expect(answerDone('decline', 'Chess Club')).toBe('You declined the invitation to Chess Club.');
    expect(answerDone('join', 'Chess Club')).toBe('You joined Chess Club.');
  });
});
