/** Test helpers for Data Tools: a real multipart body, an admin, a site to invite into. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { buildAdmin, sessionCookie } from '../testing/factories.js';

export interface MultipartPart {
  readonly name: string;
  readonly value: string | Buffer;
  readonly fileName?: string;
}

/** A multipart/form-data body built by hand, parts in the given order. */
export function multipartBody(parts: readonly MultipartPart[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----convene${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      p.fileName !== undefined
        ? `form-data; name="${p.name}"; filename="${p.fileName}"`
        : `form-data; name="${p.name}"`;
    const type = p.fileName !== undefined ? 'Content-Type: text/csv\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`));
    chunks.push(typeof p.value === 'string' ? Buffer.from(p.value) : p.value);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface UploadInput {
  readonly type?: string;
  readonly hasHeader?: boolean;
  readonly file: string | Buffer;
  readonly fileName?: string;
  /** the delimiter field: auto (the default), comma, semicolon or tab */
  readonly delimiter?: string;
  /** put the fields after the file */
  readonly fieldsLast?: boolean;
}

export async function upload(app: FastifyInstance, cookie: string, input: UploadInput) {
  const fields: MultipartPart[] = [];
  if (input.type !== undefined) fields.push({ name: 'type', value: input.type });
  fields.push({ name: 'hasHeader', value: String(input.hasHeader ?? true) });
  if (input.delimiter !== undefined) fields.push({ name: 'delimiter', value: input.delimiter });
  const file = { name: 'file', value: input.file, fileName: input.fileName ?? 'people.csv' };
  const { payload, headers } = multipartBody(input.fieldsLast ? [file, ...fields] : [...fields, file]);
  return app.inject({ method: 'POST', url: '/api/admin/data-jobs', payload, headers: { ...headers, cookie } });
}

/**
 * An invite CSV over a generated site: `rows` rows cycling through its people (by Unique ID) and
 * communities, every 97th row a repeat of the one before (a duplicate row to skip).
 */
export async function mixedInviteCsv(
  ctx: AppContext,
  site: { readonly firstPersonId: number; readonly communityIds: readonly number[] },
  rows: number,
): Promise<string> {
  const uniqueIds = await ctx.db
    .selectFrom('person')
    .select('unique_id')
    .where('id', '>=', site.firstPersonId)
    .orderBy('id')
    .execute();
  const lines = ['Community ID,Unique ID'];
  for (let i = 0; i < rows; i++) {
    const community = site.communityIds[Math.floor(i / uniqueIds.length) % site.communityIds.length];
    const uid = uniqueIds[(i * 7919) % uniqueIds.length].unique_id ?? `NOPE-${i}`;
    lines.push(i % 97 === 0 ? lines[lines.length - 1] : `${community},${uid}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function adminCookie(ctx: AppContext): Promise<{ cookie: string; adminId: number }> {
  const admin = await buildAdmin(ctx);
  return { cookie: await sessionCookie(ctx, admin.id), adminId: admin.id };
}

/** The people columns of a file keyed by Unique ID (header `Unique ID,First Name,Last Name,Email,Member Type`). */
export const peopleByUniqueId = {
  keyColumn: 'Unique ID',
  keyType: 'unique_id',
  firstNameColumn: 'First Name',
  lastNameColumn: 'Last Name',
  emailColumn: 'Email',
  memberTypeColumn: 'Member Type',
};

/** Upload → map (dry run) → start → process; answers the finished job as the API shows it. */
export async function runJob(
  app: FastifyInstance,
  ctx: AppContext,
  cookie: string,
  input: UploadInput & { mapping: Record<string, unknown> },
) {
  const { processDataJob } = await import('./engine/process.js');
  const up = await upload(app, cookie, input);
  if (up.statusCode !== 201) throw new Error(`upload: ${up.body}`);
  const id = up.json().id as number;
  const mapped = await app.inject({
    method: 'PUT',
    url: `/api/admin/data-jobs/${id}/mapping`,
    headers: { cookie },
    payload: input.mapping,
  });
  if (mapped.statusCode !== 200) throw new Error(`mapping: ${mapped.body}`);
  const started = await app.inject({ method: 'POST', url: `/api/admin/data-jobs/${id}/start`, headers: { cookie } });
  if (started.statusCode !== 200) throw new Error(`start: ${started.body}`);
  await processDataJob(ctx, id);
  const job = await app.inject({ url: `/api/admin/data-jobs/${id}`, headers: { cookie } });
  return job.json();
}

/** The job's log as the product reads it (listResults), every page: one entry per processed row. */
export async function readLog(ctx: AppContext, id: number) {
  const { findDataJob, listResults } = await import('./engine/data-job.repository.js');
  const { logScope } = await import('./engine/process.js');
  const job = await findDataJob(ctx.db, id);
  if (!job) throw new Error(`no data job ${id}`);
  const rows: Awaited<ReturnType<typeof listResults>> = [];
  for (let afterRow = 0; ;) {
    const page = await listResults(ctx.db, logScope(job), { afterRow, limit: 5_000 });
    if (!page.length) return rows;
    rows.push(...page);
    afterRow = page[page.length - 1]!.row_number;
  }
}

/** The log's totals by outcome and by reason, and its number of rows (tallyResults). */
export async function logTotals(ctx: AppContext, id: number) {
  const { findDataJob, tallyResults } = await import('./engine/data-job.repository.js');
  const { logScope } = await import('./engine/process.js');
  const job = await findDataJob(ctx.db, id);
  if (!job) throw new Error(`no data job ${id}`);
  const outcomes: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  let rows = 0;
  for (const r of await tallyResults(ctx.db, logScope(job))) {
    outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + r.n;
    if (r.reason) reasons[r.reason] = (reasons[r.reason] ?? 0) + r.n;
    rows += r.n;
  }
  return { outcomes, reasons, rows };
}

/**
 * An invite job's log against its invitations: `unbacked` counts rows logged as invited without
 * a result row and without the invitation they made; `doubled`, invitations of the job whose row
 * also has a result row; `strays`, invitations of the job that name no row.
 */
export async function invitationsAgainstLog(
  ctx: AppContext,
  id: number,
): Promise<{ unbacked: number; doubled: number; strays: number }> {
  const { sql } = await import('kysely');
  const count = async (query: { execute(): Promise<{ n: number | string }[]> }) =>
    Number((await query.execute())[0]?.n ?? 0);
  const unbacked = await count(
    ctx.db
      .selectFrom('data_job_row as s')
      .leftJoin('data_job_result as r', (j) =>
        j.onRef('r.data_job_id', '=', 's.data_job_id').onRef('r.row_number', '=', 's.row_number'),
      )
      .leftJoin('membership as m', (j) =>
        j.onRef('m.data_job_id', '=', 's.data_job_id').onRef('m.data_job_row', '=', 's.row_number'),
      )
      .select(sql<number>`count(*)`.as('n'))
      .where('s.data_job_id', '=', id)
      .where('r.row_number', 'is', null)
      .where('m.person_id', 'is', null),
  );
  const doubled = await count(
    ctx.db
      .selectFrom('membership as m')
      .innerJoin('data_job_result as r', (j) =>
        j.onRef('r.data_job_id', '=', 'm.data_job_id').onRef('r.row_number', '=', 'm.data_job_row'),
      )
      .select(sql<number>`count(*)`.as('n'))
      .where('m.data_job_id', '=', id),
  );
  const strays = await count(
    ctx.db
      .selectFrom('membership as m')
      .leftJoin('data_job_row as s', (j) =>
        j.onRef('s.data_job_id', '=', 'm.data_job_id').onRef('s.row_number', '=', 'm.data_job_row'),
      )
      .select(sql<number>`count(*)`.as('n'))
      .where('m.data_job_id', '=', id)
      .where('s.row_number', 'is', null),
  );
  return { unbacked, doubled, strays };
}
