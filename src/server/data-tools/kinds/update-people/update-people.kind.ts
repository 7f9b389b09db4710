/**
 * "Update members": a key column (Unique ID, Pre-verification ID or Profile ID) and any of First
 * Name, Last Name, Email, Member Type. Keeps the site's people current from the institution's
 * records: a blank cell leaves the field as it is; nobody is created. The email of a person who
 * has an account (signed in or invited at that address) is theirs and is not changed; only a
 * pre-verified record's email follows the file. Each person changed gets a `person.updated`
 * webhook event, the batch's events queued together in its transaction.
 */
import { isEmailAddress } from '../../../../shared/email-list.js';
import { limits } from '../../../../shared/limits.js';
import type { DbOrTrx } from '../../../db/db.js';
import { listMemberTypes, memberTypeKey } from '../../../people/member-type.repository.js';
import { type PersonChanges, personUpdatedEvent, updatePerson } from '../../../people/person.repository.js';
import { queueWebhookEvents, type WebhookEventInput } from '../../../webhooks/webhook-event.repository.js';
import { readResultKeys } from '../../engine/data-job.repository.js';
import { cell, duplicateOf, type JobKind, parseId, type RowOutcome, skip } from '../../engine/job-kind.js';
import { KeySet } from '../../engine/key-set.js';
import { findEmailHolders, findPeopleToUpdate, type PersonToUpdate } from './update-people.repository.js';

const keyColumn = { unique_id: 'unique_id', preverification_id: 'preverification_id', profile_id: 'id' } as const;

interface Change {
  first_name?: string;
  last_name?: string;
  email?: string;
  member_type_id?: number;
}

export const updatePeopleKind: JobKind = {
  batchSize: 1_000,
  outcomes: ['updated', 'unchanged', 'skipped'],
  reasons: [
    'invalid_id',
    'unknown_person',
    'duplicate_row',
    'invalid_email',
    'name_too_long',
    'unknown_member_type',
    'email_taken',
    'email_kept',
  ],

  async runBatch(db: DbOrTrx, { job, mapping, loadRows, seen, apply, now }) {
    const numeric = mapping.keyType !== 'unique_id';
    const types = new Map((await listMemberTypes(db)).map((t) => [t.name_key, t.id]));
    const rows = await loadRows();
    const parsed = rows.map((r) => {
      const raw = cell(r.values, mapping.keyColumn);
      return {
        rowNumber: r.rowNumber,
        key: numeric ? parseId(raw) : raw && raw.length <= 200 ? raw : null,
        first: cell(r.values, mapping.firstNameColumn),
        last: cell(r.values, mapping.lastNameColumn),
        email: cell(r.values, mapping.emailColumn).toLowerCase(),
        memberType: cell(r.values, mapping.memberTypeColumn),
      };
    });
    const keys = [...new Set(parsed.flatMap((p) => (p.key === null ? [] : [p.key])))];
    const people = await findPeopleToUpdate(db, keyColumn[mapping.keyType], keys, numeric);
    const byKey = new Map(people.map((p) => [String(p.key), p]));
    const emails = [...new Set(parsed.flatMap((p) => (p.email && isEmailAddress(p.email) ? [p.email] : [])))];
    // email → who holds it, as this batch goes: earlier rows' changes count for later rows.
    const holders = await findEmailHolders(db, emails);
    const outcomes: RowOutcome[] = [];
    const events: WebhookEventInput[] = [];
    for (const p of parsed) {
      if (p.key === null) {
        outcomes.push(skip(p.rowNumber, 'invalid_id'));
        continue;
      }
      const person = byKey.get(String(p.key));
      if (!person) {
        outcomes.push(skip(p.rowNumber, 'unknown_person'));
        continue;
      }
      if (seen.has(person.id)) {
        outcomes.push(duplicateOf(p.rowNumber, seen.firstRow(person.id), person.id));
        continue;
      }
      seen.add(person.id, p.rowNumber);
      if (p.email && (p.email.length > limits.emailChars || !isEmailAddress(p.email))) {
        outcomes.push(skip(p.rowNumber, 'invalid_email', person.id));
        continue;
      }
      if (p.first.length > limits.nameChars || p.last.length > limits.nameChars) {
        outcomes.push(skip(p.rowNumber, 'name_too_long', person.id));
        continue;
      }
      const memberTypeId = p.memberType ? types.get(memberTypeKey(p.memberType)) : null;
      if (memberTypeId === undefined) {
        outcomes.push(skip(p.rowNumber, 'unknown_member_type', person.id));
        continue;
      }
      const emailChange = p.email && p.email !== person.email ? p.email : null;
      const holder = emailChange ? holders.get(emailChange) : undefined;
      if (emailChange && holder !== undefined && holder !== person.id) {
        outcomes.push(skip(p.rowNumber, 'email_taken', person.id));
        continue;
      }
      const change = changeOf(person, p, memberTypeId);
      const emailKept = emailChange !== null && person.status !== 'pre_verified';
      if (emailChange && !emailKept) {
        change.email = emailChange;
        if (person.email !== null) holders.delete(person.email);
        holders.set(emailChange, person.id);
      }
      const changed = Object.keys(change).length > 0;
      outcomes.push({
        rowNumber: p.rowNumber,
        outcome: changed ? 'updated' : 'unchanged',
        reason: emailKept ? 'email_kept' : null,
        personId: person.id,
        communityId: null,
      });
      if (apply && changed) {
        await updatePerson(db, person.id, { ...change, updated_at: now });
        events.push(personUpdatedEvent(person, changesOf(change), job.id));
      }
    }
    if (apply) await queueWebhookEvents(db, now, events);
    return outcomes;
  },

  async rebuildSeen(db, dataJobId, upToRow, expectedKeys) {
    const seen = new KeySet(expectedKeys);
    for (const r of await readResultKeys(db, dataJobId, upToRow))
      if (r.person_id !== null) seen.add(r.person_id, r.row_number);
    return seen;
  },
};

/** A change as the `person.updated` event names it. */
function changesOf(change: Change): PersonChanges {
  return {
    ...(change.first_name !== undefined ? { firstName: change.first_name } : {}),
    ...(change.last_name !== undefined ? { lastName: change.last_name } : {}),
    ...(change.email !== undefined ? { email: change.email } : {}),
    ...(change.member_type_id !== undefined ? { memberTypeId: change.member_type_id } : {}),
  };
}

/** The fields a row changes: only what it gives and what differs. */
function changeOf(person: PersonToUpdate, row: { first: string; last: string }, memberTypeId: number | null): Change {
  const change: Change = {};
  if (row.first && row.first !== person.first_name) change.first_name = row.first;
  if (row.last && row.last !== person.last_name) change.last_name = row.last;
  if (memberTypeId !== null && memberTypeId !== person.member_type_id) change.member_type_id = memberTypeId;
  return change;
}
