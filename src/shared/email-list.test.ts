import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailProblem, isEmailAddress, parseEmailList, splitDisplayName } from './email-list.js';

const separator = fc.constantFrom(',', ';', ' ', '\n', '\r\n', ', ', ' ;\n', '\t', '  ');
const email = fc.emailAddress();
const randomCase = (value: string, flips: boolean[]) =>
  [...value].map((c, i) => (flips[i % Math.max(flips.length, 1)] ? c.toUpperCase() : c)).join('');

describe('parseEmailList', () => {
  it('reads the usual separators and Name <address>', () => {
    const parsed = parseEmailList(
      'a@x.org, b@x.org;c@x.org d@x.org\ne@x.org\r\nJane Doe <JANE@X.org>; "Doe, John" <john@x.org>',
    );
    expect(parsed.entries).toEqual([
      { email: 'a@x.org', name: null },
      { email: 'b@x.org', name: null },
      { email: 'c@x.org', name: null },
      { email: 'd@x.org', name: null },
      { email: 'e@x.org', name: null },
      { email: 'jane@x.org', name: 'Jane Doe' },
      { email: 'john@x.org', name: 'Doe, John' },
    ]);
    expect(parsed.invalid).toEqual([]);
  });

  it('merges duplicates ignoring case and flags invalid pieces once each', () => {
    const parsed = parseEmailList(' A@x.org , a@X.ORG;not-an-email, a@x.org\nnot-an-email x@y @z.org Bob');
    expect(parsed.entries).toEqual([{ email: 'a@x.org', name: null }]);
    expect(parsed.duplicates).toBe(2);
    expect(parsed.invalid).toEqual(['not-an-email', 'x@y', '@z.org', 'Bob']);
  });

  it('reports a name with a bad address as one invalid piece', () => {
    expect(parseEmailList('Jane <jane@>').invalid).toEqual(['Jane <jane@>']);
  });

  it('accepts every address fast-check generates', () => {
    fc.assert(fc.property(email, (e) => isEmailAddress(e)));
  });

  it('finds exactly the unique lower-cased addresses, in order, whatever the separators and case', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(email, separator, fc.array(fc.boolean(), { maxLength: 8 })), { maxLength: 40 }),
        fc.boolean(),
        (items, leadingSeparator) => {
          const text =
            (leadingSeparator ? ' \n' : '') + items.map(([e, sep, flips]) => randomCase(e, flips) + sep).join('');
          const expected = [...new Set(items.map(([e]) => e.toLowerCase()))];
          const parsed = parseEmailList(text);
          expect(parsed.entries.map((x) => x.email)).toEqual(expected);
          expect(parsed.invalid).toEqual([]);
          expect(parsed.duplicates).toBe(items.length - expected.length);
        },
      ),
    );
  });

  it('keeps display names of Name <address> entries', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z .'-]{0,20}[A-Za-z]$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(name, email), { minLength: 1, maxLength: 10 }), (pairs) => {
        const parsed = parseEmailList(pairs.map(([n, e]) => `${n} <${e}>`).join(', '));
        const firstName = new Map<string, string>();
        for (const [n, e] of pairs)
          if (!firstName.has(e.toLowerCase())) firstName.set(e.toLowerCase(), n.replace(/\s+/g, ' ').trim());
        expect(parsed.entries).toEqual([...firstName].map(([e, n]) => ({ email: e, name: n })));
      }),
    );
  });

  it('never throws; every entry is a valid lower-cased address; parsing its own output is stable', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (text) => {
        const parsed = parseEmailList(text);
        for (const entry of parsed.entries) {
          expect(entry.email).toBe(entry.email.toLowerCase());
          expect(isEmailAddress(entry.email)).toBe(true);
        }
        const again = parseEmailList(parsed.entries.map((e) => e.email).join('\n'));
        expect(again.entries.map((e) => e.email)).toEqual(parsed.entries.map((e) => e.email));
        expect(new Set(parsed.invalid).size).toBe(parsed.invalid.length);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what a mail server would not deliver', () => {
    for (const bad of [
      'a@b',
      'a@@b.org',
      'a@b..org',
      '.a@b.org',
      'a.@b.org',
      'a@-b.org',
      'a@b.o',
      'a b@c.org',
      `${'x'.repeat(65)}@b.org`,
    ]) {
      expect(isEmailAddress(bad), bad).toBe(false);
    }
  });
});

describe('splitDisplayName', () => {
  it('splits "First Middle Last" at the last word', () => {
    expect(splitDisplayName('Jane van Doe')).toEqual({ firstName: 'Jane van', lastName: 'Doe' });
    expect(splitDisplayName('Cher')).toEqual({ firstName: 'Cher', lastName: '' });
    expect(splitDisplayName(null)).toEqual({ firstName: '', lastName: '' });
  });

  it('reads Outlook\'s "Last, First" the other way round', () => {
    expect(splitDisplayName('Smith, John')).toEqual({ firstName: 'John', lastName: 'Smith' });
    expect(splitDisplayName(' van Doe ,  Jane  Q. ')).toEqual({ firstName: 'Jane Q.', lastName: 'van Doe' });
    const [entry] = parseEmailList('"Smith, John" <john.smith@example.org>').entries;
    expect(splitDisplayName(entry.name)).toEqual({ firstName: 'John', lastName: 'Smith' });
  });

  it('does not keep a stray comma in a name', () => {
    expect(splitDisplayName('Smith,')).toEqual({ firstName: 'Smith', lastName: '' });
    expect(splitDisplayName('A, B, C')).toEqual({ firstName: 'A B', lastName: 'C' });
  });
});

describe('emailProblem and addresses typed with a space', () => {
  it('names what is wrong', () => {
    expect(emailProblem('ada@example.org')).toBeNull();
    expect(emailProblem('ada@example.org.')).toBe('ends with a dot');
    expect(emailProblem('jörg@example.de')).toMatch(/outside plain ASCII/);
    expect(emailProblem('ada.example.org')).toBe('has no @');
    expect(emailProblem('a@b@example.org')).toBe('has more than one @');
    expect(emailProblem('ada@example')).toBe('has no domain ending after the @ (such as example.org)');
    expect(emailProblem('ada..b@example.org')).toBe('has two dots in a row');
    expect(emailProblem('x@ex ample.org')).toBe('has a space in it');
  });

  it('keeps "x@ex ample.org" as one invalid entry', () => {
    expect(parseEmailList('x@ex ample.org, b@x.org').invalid).toEqual(['x@ex ample.org']);
    expect(parseEmailList('x@ex ample.org, b@x.org').entries).toEqual([{ email: 'b@x.org', name: null }]);
    // a valid address followed by a word is still the address and an invalid word
    expect(parseEmailList('a@x.org example.org').invalid).toEqual(['example.org']);
  });
});
