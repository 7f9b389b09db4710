/**
 * "Pre-verify members": Unique ID, First Name, Last Name, Email, Member Type. Creates
 * pre-verified people (Pre-verification IDs reserved per batch, invite token kept as an HMAC)
 * through the people feature, or updates the person with the same Unique ID (else email).
 */
import { limits } from '../../../../shared/limits.js';
import { isEmailAddress } from '../../../../shared/email-list.js';
import { listMemberTypes } from '../../../people/member-type.repository.js';
import { reservePreverificationIds, updatePerson } from '../../../people/person.repository.js';
import { preverifyPersonInTrx } from '../../../people/preverify.service.js';
import { cell, duplicateOf, type JobKind, type RowOutcome, skip } from '../../engine/job-kind.js';
import { KeySet } from '../../engine/key-set.js';
import { findPeopleBy, readPeopleOfJob } from './preverify.repository.js';

export const preverifyKind: JobKind = {
  batchSize: 2_000,
  outcomes: ['created', 'updated', 'skipped'],
  reasons: [
    'missing_id_and_email',
    'invalid_id',
    'invalid_email',
    'name_too_long',
    'unknown_member_type',
    'duplicate_row',
    'email_taken',
  ],

  async runBatch(db, { ctx, job, mapping, loadRows, seen, apply, now }) {
    const types = new Map((await listMemberTypes(db)).map((t) => [t.name_key, t.id]));
    const rows = await loadRows();
    const parsed = rows.map((r) => ({
      rowNumber: r.rowNumber,
      uid: cell(r.values, mapping.keyColumn) || null,
      email: cell(r.values, mapping.emailColumn).toLowerCase() || null,
      first: cell(r.values, mapping.firstNameColumn),
      last: cell(r.values, mapping.lastNameColumn),
      memberType: cell(r.values, mapping.memberTypeColumn),
    }));
    const byUid = await findPeopleBy(db, 'unique_id', [...new Set(parsed.flatMap((p) => (p.uid ? [p.uid] : [])))]);
    const byEmail = await findPeopleBy(db, 'email', [...new Set(parsed.flatMap((p) => (p.email ? [p.email] : [])))]);
    const outcomes: RowOutcome[] = [];
    const creates: { index: number; row: (typeof parsed)[number]; memberTypeId: number | null }[] = [];
    for (const p of parsed) {
      if (!p.uid && !p.email) {
        outcomes.push(skip(p.rowNumber, 'missing_id_and_email'));
        continue;
      }
      if (p.uid && p.uid.length > 100) {
        outcomes.push(skip(p.rowNumber, 'invalid_id'));
        continue;
      }
      if (p.email && (p.email.length > limits.emailChars || !isEmailAddress(p.email))) {
        outcomes.push(skip(p.rowNumber, 'invalid_email'));
        continue;
      }
      if (p.first.length > limits.nameChars || p.last.length > limits.nameChars) {
        outcomes.push(skip(p.rowNumber, 'name_too_long'));
        continue;
      }
      const memberTypeId = p.memberType ? types.get(p.memberType.toLowerCase()) : null;
      if (memberTypeId === undefined) {
        outcomes.push(skip(p.rowNumber, 'unknown_member_type'));
        continue;
      }
      const keys = [p.uid ? `u:${p.uid}` : null, p.email ? `e:${p.email}` : null].filter(
        (k): k is string => k !== null,
      );
      const earlier = keys.find((k) => seen.has(k));
      if (earlier !== undefined) {
        outcomes.push(duplicateOf(p.rowNumber, seen.firstRow(earlier)));
        continue;
      }
      for (const k of keys) seen.add(k, p.rowNumber);
      const sameUid = p.uid ? byUid.get(p.uid) : undefined;
      const sameEmail = p.email ? byEmail.get(p.email) : undefined;
      const match = sameUid ?? sameEmail;
      // The email already belongs to someone else, or the email's owner holds another Unique ID.
      if (
        (sameUid && sameEmail && sameUid.id !== sameEmail.id) ||
        (!sameUid && sameEmail && p.uid && sameEmail.unique_id !== null)
      ) {
        outcomes.push(skip(p.rowNumber, 'email_taken', (sameUid ?? sameEmail)?.id ?? null));
        continue;
      }
      if (match) {
        outcomes.push({
          rowNumber: p.rowNumber,
          outcome: 'updated',
          reason: null,
          personId: match.id,
          communityId: null,
        });
        if (apply) {
          await updatePerson(db, match.id, {
            ...(p.first || p.last ? { first_name: p.first, last_name: p.last } : {}),
            ...(p.email ? { email: p.email } : {}),
            ...(p.uid && match.unique_id === null ? { unique_id: p.uid } : {}),
            ...(memberTypeId !== null ? { member_type_id: memberTypeId } : {}),
            updated_at: now,
          });
        }
        continue;
      }
      creates.push({ index: outcomes.length, row: p, memberTypeId });
      outcomes.push({ rowNumber: p.rowNumber, outcome: 'created', reason: null, personId: null, communityId: null });
    }
    if (apply && creates.length) {
      const firstId = await reservePreverificationIds(db, creates.length);
      for (const [i, c] of creates.entries()) {
        const result = await preverifyPersonInTrx(
          ctx,
          db,
          { id: job.created_by },
          {
            uniqueId: c.row.uid ?? undefined,
            email: c.row.email ?? undefined,
            firstName: c.row.first,
            lastName: c.row.last,
            memberType: c.row.memberType || undefined,
          },
          firstId + i,
        );
        outcomes[c.index] = result.ok
          ? { ...outcomes[c.index], personId: result.person.id }
          : skip(
              c.row.rowNumber,
              result.code === 'email_taken'
                ? 'email_taken'
                : result.code === 'unknown_member_type'
                  ? 'unknown_member_type'
                  : 'duplicate_row',
            );
      }
    }
    return outcomes;
  },

  async rebuildSeen(db, dataJobId, upToRow) {
    const rows = await readPeopleOfJob(db, dataJobId, upToRow);
    const seen = new KeySet();
    for (const r of rows) {
      if (r.unique_id) seen.add(`u:${r.unique_id}`, r.row_number);
      if (r.email) seen.add(`e:${r.email}`, r.row_number);
    }
    return seen;
  },
};
