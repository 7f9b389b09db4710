/**
 * "Deactivate members" / "Reactivate members": one Unique ID column. Each person goes through
 * the people feature's own rules (sessions ended, open invitations closed, last admin kept),
 * inside the batch's transaction.
 */
import type { DbOrTrx } from '../../../db/db.js';
import {
  deactivatePersonInTrx,
  reactivatePersonInTrx,
  type StatusOutcome,
} from '../../../people/person-status.service.js';
import { readResultKeys } from '../../engine/data-job.repository.js';
import { cell, duplicateOf, type JobKind, parseId, type RowOutcome, skip } from '../../engine/job-kind.js';
import { KeySet } from '../../engine/key-set.js';
import { findPeopleByKey } from './person-status.repository.js';

const keyColumn = { unique_id: 'unique_id', preverification_id: 'preverification_id', profile_id: 'id' } as const;

function reasonOf(outcome: Extract<StatusOutcome, { ok: false }>): string {
  if (outcome.code === 'invalid_status_transition') return 'person_pending';
  if (outcome.code === 'last_admin') return 'last_admin';
  return 'unknown_person';
}

function statusKind(direction: 'deactivate' | 'reactivate'): JobKind {
  const done = direction === 'deactivate' ? 'deactivated' : 'reactivated';
  const unchanged = direction === 'deactivate' ? 'already_inactive' : 'already_active';
  return {
    batchSize: 1_000,
    outcomes: [done, unchanged, 'skipped'],
    reasons: [
      'invalid_id',
      'unknown_person',
      'duplicate_row',
      'person_pending',
      ...(direction === 'deactivate' ? ['last_admin'] : []),
    ],

    async runBatch(db: DbOrTrx, { ctx, job, mapping, loadRows, seen, apply }) {
      const numeric = mapping.keyType !== 'unique_id';
      const rows = await loadRows();
      const parsed = rows.map((r) => {
        const raw = cell(r.values, mapping.keyColumn);
        return { rowNumber: r.rowNumber, key: numeric ? parseId(raw) : raw && raw.length <= 200 ? raw : null };
      });
      const keys = [...new Set(parsed.flatMap((p) => (p.key === null ? [] : [p.key])))];
      const column = keyColumn[mapping.keyType];
      const people = await findPeopleByKey(db, column, keys, numeric);
      const byKey = new Map(people.map((p) => [String(p.key), p]));
      const actor = { id: job.created_by };
      const outcomes: RowOutcome[] = [];
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
        if (!apply) {
          // The dry run reads the same rules without calling the writers.
          const isDone = direction === 'deactivate' ? person.status === 'inactive' : person.status !== 'inactive';
          if (person.status === 'pending') outcomes.push(skip(p.rowNumber, 'person_pending', person.id));
          else
            outcomes.push({
              rowNumber: p.rowNumber,
              outcome: isDone ? unchanged : done,
              reason: null,
              personId: person.id,
              communityId: null,
            });
          continue;
        }
        const result =
          direction === 'deactivate'
            ? await deactivatePersonInTrx(ctx, db, actor, person.id)
            : await reactivatePersonInTrx(ctx, db, actor, person.id);
        if (!result.ok) outcomes.push(skip(p.rowNumber, reasonOf(result), person.id));
        else
          outcomes.push({
            rowNumber: p.rowNumber,
            outcome: result.changed ? done : unchanged,
            reason: null,
            personId: person.id,
            communityId: null,
          });
      }
      return outcomes;
    },

    async rebuildSeen(db, dataJobId, upToRow, expectedKeys) {
      const seen = new KeySet(expectedKeys);
      for (const r of await readResultKeys(db, dataJobId, upToRow))
        if (r.person_id !== null) seen.add(r.person_id, r.row_number);
      return seen;
    },
  };
}

export const deactivateKind = statusKind('deactivate');
export const reactivateKind = statusKind('reactivate');
