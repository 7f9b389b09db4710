/**
 * A run's look-ahead for the invite job: while a batch writes, the next batch's rows are looked
 * up elsewhere (the dialect's AheadLookup: SQLite's look-up thread, another PostgreSQL
 * connection). The batch uses the answer only if it still holds in its own transaction, else it
 * looks the rows up itself.
 */
import type { AppContext } from '../../context.js';
import type { DbOrTrx } from '../../db/db.js';
import type { DataJobRow } from '../../db/schema.js';
import type { LookAheadSession } from '../engine/job-kind.js';
import type { Mapping } from '../engine/mapping.js';
import { type AheadLookup, type AheadRows, packedRowReader, type ResolvedRow } from './lookup.js';

/** Rows from..to as the look-ahead found them: hands rows a..b (within from..to) to `each`, in order. */
export type Looked = (a: number, b: number, each: (r: ResolvedRow) => void) => void;

export class InviteLookAhead implements LookAheadSession {
  private closed = false;
  /** batches that used what was looked up ahead, and batches that had to look up again (the site changed, or the look-up failed) */
  used = 0;
  refused = 0;
  private pending: {
    readonly from: number;
    readonly to: number;
    readonly answer: Promise<AheadRows | null>;
  } | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly job: DataJobRow,
    private readonly mapping: Mapping,
    private readonly ahead: AheadLookup,
  ) {}

  prefetch(from: number, to: number): void {
    const { ctx, job, mapping } = this;
    this.pending = {
      from,
      to,
      answer: this.ahead.lookUp({ dataJobId: job.id, mapping, from, to, withStates: false }).catch((error: unknown) => {
        if (!this.closed)
          ctx.log.warn(
            { err: error, dataJobId: job.id, from, to },
            'data job: looking the next batch up ahead failed; the batch looks its rows up itself',
          );
        return null;
      }),
    };
  }

  /** Resolves once the range asked for last has been looked up (or failed). */
  async whenLookedUp(): Promise<void> {
    await this.pending?.answer;
  }

  /** What was looked up ahead for exactly from..to, if it still holds in `db` (the batch's transaction). */
  async take(db: DbOrTrx, from: number, to: number): Promise<Looked | null> {
    const pending = this.pending;
    this.pending = null;
    if (!pending || pending.from !== from || pending.to !== to) return null;
    const looked = await this.check(db, from, to, await pending.answer);
    if (looked) this.used++;
    else this.refused++;
    return looked;
  }

  private async check(db: DbOrTrx, from: number, to: number, answer: AheadRows | null): Promise<Looked | null> {
    if (!answer || answer.rows.count !== to - from + 1) return null;
    if (!(await this.ahead.stillHolds(db, answer))) {
      this.ctx.log.info(
        { dataJobId: this.job.id, from, to },
        'data job: the site changed since the next batch was looked up; looking it up again',
      );
      return null;
    }
    const read = packedRowReader(answer.rows);
    return (a, b, each) => {
      for (let i = a - from; i <= b - from; i++) each(read(i));
    };
  }

  afterCommit(): void {
    this.ahead.afterCommit();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending = null;
    this.ctx.log.debug(
      { dataJobId: this.job.id, used: this.used, refused: this.refused },
      'data job: batches looked up ahead',
    );
    await this.ahead.close();
  }
}
