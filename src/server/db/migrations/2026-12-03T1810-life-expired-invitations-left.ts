/**
 * An expired invitation now ends in `left`, as a declined one does, not in `removed`: a person
 * whose invitation ran out may then join through the community's landing page or ask to join,
 * as if there had been no invitation (a leader's removal and a revoked invitation stay
 * `removed`). The invitations that expired before this change move with it; `ended_by` still
 * says they expired.
 */
import { sql } from 'kysely';
import type { AnyDb } from '../migration-helpers.js';

export async function up(db: AnyDb): Promise<void> {
  await sql`UPDATE membership SET state = 'left' WHERE state = 'removed' AND ended_by = 'expire'`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  await sql`UPDATE membership SET state = 'removed' WHERE state = 'left' AND ended_by = 'expire'`.execute(db);
}
