/**
 * The invite dialog's recipients as chips: people picked from the typeahead, addresses pasted or
 * typed (turned into chips on Tab or Enter), and pieces that are not addresses (shown red).
 * Duplicates merge; the count is what the server will count against the limit.
 */
import { parseEmailList } from '../../shared/email-list';
import type { InviteRequest, PersonSuggestion } from '../../shared/invitations';

export type RecipientChip =
  | {
      readonly kind: 'person';
      readonly key: string;
      readonly personId: number;
      readonly label: string;
      readonly email: string | null;
    }
  | { readonly kind: 'email'; readonly key: string; readonly email: string; readonly name: string | null }
  | { readonly kind: 'invalid'; readonly key: string; readonly text: string };

export function personChip(p: PersonSuggestion): RecipientChip {
  const name = `${p.firstName} ${p.lastName}`.trim();
  // A leader's suggestion carries only a hint of the address: the chip names the person by id.
  const email = p.email ?? null;
  return { kind: 'person', key: `p:${p.id}`, personId: p.id, label: name || email || p.emailHint || `#${p.id}`, email };
}

const emailOf = (c: RecipientChip) => (c.kind === 'person' ? c.email : c.kind === 'email' ? c.email : null);

/** Adds chips, merging duplicates: a person and their pasted address are one recipient. */
export function addChips(current: readonly RecipientChip[], added: readonly RecipientChip[]): RecipientChip[] {
  const out = [...current];
  for (const chip of added) {
    if (out.some((c) => c.key === chip.key)) continue;
    const email = emailOf(chip);
    const sameAddress = email ? out.findIndex((c) => emailOf(c) === email) : -1;
    if (sameAddress === -1) out.push(chip);
    // A picked person replaces the bare address chip: the server then knows exactly who is meant.
    else if (chip.kind === 'person' && out[sameAddress].kind === 'email') out[sameAddress] = chip;
  }
  return out;
}

/** Turns typed or pasted text into chips. */
export function chipsFromText(text: string): RecipientChip[] {
  const parsed = parseEmailList(text);
  return [
    ...parsed.entries.map((e): RecipientChip => ({ kind: 'email', key: `e:${e.email}`, email: e.email, name: e.name })),
    ...parsed.invalid.map((t): RecipientChip => ({ kind: 'invalid', key: `x:${t}`, text: t })),
  ];
}

/** Recipients the server will count against the limit (invalid pieces are only reported). */
export function countRecipients(chips: readonly RecipientChip[]): number {
  return chips.filter((c) => c.kind !== 'invalid').length;
}

/** Whether typed text looks like a search (one name or address fragment) rather than a list. */
export function isSearchText(text: string): boolean {
  return !/[,;<>\n]/.test(text) && (text.match(/@/g) ?? []).length <= 1;
}

export function inviteBody(
  chips: readonly RecipientChip[],
  message: string,
  sendEmail: boolean,
  reminders = true,
): InviteRequest {
  const personIds = chips.flatMap((c) => (c.kind === 'person' ? [c.personId] : []));
  const lines = chips.flatMap((c) => {
    if (c.kind === 'email') return [c.name ? `"${c.name.replace(/"/g, '')}" <${c.email}>` : c.email];
    if (c.kind === 'invalid') return [c.text];
    return [];
  });
  return {
    ...(personIds.length ? { personIds } : {}),
    ...(lines.length ? { emails: lines.join('\n') } : {}),
    ...(message.trim() ? { message } : {}),
    sendEmail,
    // reminders follow an emailed invitation only; without email there is nothing to turn off
    ...(sendEmail && !reminders ? { reminders: false } : {}),
  };
}
