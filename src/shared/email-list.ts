/**
 * The pasted-email parser shared by the invite dialog and the invitations API.
 *
 * Accepts addresses separated by commas, semicolons, spaces or new lines, and `Name <a@b.org>`
 * (also `"Doe, Jane" <a@b.org>`). Addresses are trimmed and lower-cased for matching; duplicates
 * merge into the first occurrence (keeping the first name seen); anything that is not an address
 * is reported once as invalid, in the order it appeared.
 */
import { limits } from './limits.js';

export interface EmailListEntry {
  /** lower-cased, trimmed */
  readonly email: string;
  /** the display name given as `Name <email>`, if any */
  readonly name: string | null;
}

export interface ParsedEmailList {
  /** valid addresses, unique, in order of first appearance */
  readonly entries: readonly EmailListEntry[];
  /** what could not be read as an address, unique, as typed (trimmed) */
  readonly invalid: readonly string[];
  /** how many repeated addresses were merged */
  readonly duplicates: number;
}

const localPart = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Whether `value` (already trimmed) is an address Convene will send to: local@domain.tld. */
export function isEmailAddress(value: string): boolean {
  const email = value.toLowerCase();
  if (email.length > limits.emailChars) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at !== email.indexOf('@')) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64 || !localPart.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => domainLabel.test(l))) return false;
  const tld = labels[labels.length - 1];
  return /^[a-z]{2,63}$/.test(tld) || /^xn--[a-z0-9-]{2,59}$/.test(tld);
}

/**
 * Why `value` (trimmed) is not an address Convene sends to, in words that fit after "it …";
 * null when it is one.
 */
export function emailProblem(value: string): string | null {
  if (isEmailAddress(value)) return null;
  const email = value.trim().toLowerCase();
  const at = email.indexOf('@');
  if (/\s/.test(email)) return 'has a space in it';
  if (at === -1) return 'has no @';
  if (at !== email.lastIndexOf('@')) return 'has more than one @';
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(email))
    return 'has letters outside plain ASCII (addresses with accents or other scripts are not supported)';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!local) return 'has nothing before the @';
  if (!domain) return 'has nothing after the @';
  if (email.endsWith('.')) return 'ends with a dot';
  if (local.startsWith('.') || local.endsWith('.') || domain.startsWith('.'))
    return 'has a dot next to the @ or at the start';
  if (email.includes('..')) return 'has two dots in a row';
  if (!domain.includes('.')) return `has no domain ending after the @ (such as ${domain}.org)`;
  if (email.length > limits.emailChars || local.length > 64) return 'is too long';
  if (!/^[a-z]{2,63}$/.test(domain.slice(domain.lastIndexOf('.') + 1)) && !/\.xn--[a-z0-9-]{2,59}$/.test(domain))
    return 'does not end in a domain ending such as .org';
  return 'has characters an email address cannot have';
}

/** Trimmed and lower-cased: the form stored in person.email and used for matching. */
export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'angle'; text: string }
  | { kind: 'break' };

const softSeparator = /\s/;
const hardSeparator = /[,;\r\n]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  const flushWord = () => {
    if (word) tokens.push({ kind: 'word', text: word });
    word = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '"') {
      const close = text.indexOf(c === '<' ? '>' : '"', i + 1);
      if (close !== -1) {
        flushWord();
        tokens.push({ kind: c === '<' ? 'angle' : 'quoted', text: text.slice(i + 1, close) });
        i = close;
        continue;
      }
    }
    if (hardSeparator.test(c)) {
      flushWord();
      tokens.push({ kind: 'break' });
    } else if (softSeparator.test(c)) {
      flushWord();
    } else {
      word += c;
    }
  }
  flushWord();
  return tokens;
}

const cleanName = (name: string) =>
  name
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 2 * limits.nameChars + 1);

/** Parses pasted text into unique valid addresses and the invalid pieces. Never throws. */
export function parseEmailList(text: string): ParsedEmailList {
  const entries: EmailListEntry[] = [];
  const seen = new Set<string>();
  const invalid: string[] = [];
  const seenInvalid = new Set<string>();
  let duplicates = 0;
  // Words without '@' wait here: they are a display name if `<address>` follows, else invalid.
  let pendingName: string[] = [];

  const addInvalid = (raw: string) => {
    const value = raw.trim();
    if (!value || seenInvalid.has(value)) return;
    seenInvalid.add(value);
    invalid.push(value);
  };
  const flushPending = () => {
    if (pendingName.length) addInvalid(pendingName.join(' '));
    pendingName = [];
  };
  // An address that was not valid, typed with a space inside ("x@ex ample.org"): the next word joins it.
  let openInvalid: string | null = null;
  const addAddress = (raw: string, name: string | null) => {
    const email = normalizeEmail(raw);
    if (!isEmailAddress(email)) {
      addInvalid(name ? `${name} <${raw.trim()}>` : raw);
      if (!name && invalid[invalid.length - 1] === raw.trim()) openInvalid = raw.trim();
      return;
    }
    if (seen.has(email)) {
      duplicates++;
      return;
    }
    seen.add(email);
    entries.push({ email, name: name ? cleanName(name) || null : null });
  };

  for (const token of tokenize(text)) {
    const open: string | null = openInvalid;
    openInvalid = null;
    if (open !== null && token.kind === 'word' && !token.text.includes('@') && token.text.includes('.')) {
      const joined: string = `${open} ${token.text}`;
      seenInvalid.delete(open);
      invalid.pop();
      addInvalid(joined);
      openInvalid = joined;
      continue;
    }
    if (token.kind === 'break') flushPending();
    else if (token.kind === 'angle') {
      const name = pendingName.join(' ');
      pendingName = [];
      addAddress(token.text, name || null);
    } else if (token.kind === 'quoted') {
      pendingName.push(token.text);
    } else if (token.text.includes('@')) {
      flushPending();
      addAddress(token.text, null);
    } else {
      pendingName.push(token.text);
    }
  }
  flushPending();
  return { entries, invalid, duplicates };
}

/**
 * Splits a pasted display name into first and last name, each within the name limit:
 * "Jane van Doe" → "Jane van" + "Doe"; the "Last, First" form mail programs such as Outlook use
 * ("Smith, John") → "John" + "Smith".
 */
export function splitDisplayName(name: string | null): { firstName: string; lastName: string } {
  const text = (name ?? '').replace(/\s+/g, ' ').trim();
  const comma = text.split(',').map((part) => part.trim());
  if (comma.length === 2 && comma[0] && comma[1]) {
    return { firstName: comma[1].slice(0, limits.nameChars), lastName: comma[0].slice(0, limits.nameChars) };
  }
  const words = text.replace(/,/g, ' ').split(' ').filter(Boolean);
  if (words.length === 0) return { firstName: '', lastName: '' };
  if (words.length === 1) return { firstName: words[0].slice(0, limits.nameChars), lastName: '' };
  return {
    firstName: words.slice(0, -1).join(' ').slice(0, limits.nameChars),
    lastName: words[words.length - 1].slice(0, limits.nameChars),
  };
}
