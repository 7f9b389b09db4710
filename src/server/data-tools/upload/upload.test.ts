import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { buildPerson, sessionCookie } from '../../testing/factories.js';
import { useTestApp } from '../../testing/test-app.js';
import { describeEachDb, type TestRuntime } from '../../testing/test-db.js';
import { openCheckpointer } from '../lookup/start-lookup-thread.js';
import { adminCookie, upload } from '../test-support.js';

async function stagedCounts(t: TestRuntime): Promise<{ jobs: number; rows: number }> {
  const jobs = await t.ctx.db
    .selectFrom('data_job')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await t.ctx.db
    .selectFrom('data_job_row')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { jobs: Number(jobs.n), rows: Number(rows.n) };
}

const zipHead = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
const gzipHead = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);

/** Every refusal: the reason, the line, and a word the message must hold. */
const badFiles: {
  name: string;
  file: string | Buffer;
  reason: string;
  line: number;
  says: RegExp;
  hasHeader?: boolean;
}[] = [
  { name: 'an empty file', file: '', reason: 'empty', line: 0, says: /empty/ },
  { name: 'only a BOM and blank lines', file: '\uFEFF\r\n\r\n', reason: 'empty', line: 0, says: /empty/ },
  { name: 'a header only', file: 'Community ID,Unique ID\r\n', reason: 'header_only', line: 2, says: /no data rows/ },
  {
    name: 'unbalanced quotes',
    file: 'Community ID,Unique ID\n1,A\n2,"B\n3,C\n',
    reason: 'unbalanced_quotes',
    line: 3,
    says: /never closed/,
  },
  {
    name: 'text after a closing quote',
    file: 'a,b\n1,"x"y\n',
    reason: 'invalid_quotes',
    line: 2,
    says: /closing double quote/,
  },
  {
    name: 'a quote inside an unquoted value',
    file: 'a,b\n1,2\n3,ab"c\n',
    reason: 'invalid_quotes',
    line: 3,
    says: /not quoted/,
  },
  {
    name: 'a NUL byte',
    file: Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0]), Buffer.from('4\n')]),
    reason: 'binary',
    line: 3,
    says: /NUL/,
  },
  {
    name: 'other binary bytes',
    file: Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x01, 0x02, 0x03]),
    reason: 'binary',
    line: 2,
    says: /binary/,
  },
  {
    name: 'Latin-1 text',
    file: Buffer.concat([Buffer.from('a,b\n1,Jos'), Buffer.from([0xe9]), Buffer.from('\n')]),
    reason: 'not_utf8',
    line: 2,
    says: /not UTF-8/,
  },
  {
    name: 'a cut UTF-8 character at the end',
    file: Buffer.concat([Buffer.from('a,b\n1,x'), Buffer.from([0xc3])]),
    reason: 'not_utf8',
    line: 2,
    says: /UTF-8/,
  },
  {
    name: 'UTF-16',
    file: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]),
    reason: 'utf16',
    line: 1,
    says: /UTF-16/,
  },
  {
    name: 'an Excel workbook',
    file: Buffer.concat([zipHead, Buffer.alloc(100, 7)]),
    reason: 'xlsx',
    line: 0,
    says: /save it as CSV/,
  },
  {
    name: 'a gzip file',
    file: Buffer.concat([gzipHead, Buffer.alloc(50, 3)]),
    reason: 'gzip',
    line: 0,
    says: /save it as CSV/,
  },
  {
    name: 'a record over 64 KB',
    file: `a,b\n1,2\n3,${'x'.repeat(70_000)}\n`,
    reason: 'record_too_large',
    line: 3,
    says: /longer than/,
  },
  {
    name: 'too many columns',
    file: `${Array.from({ length: 201 }, (_, i) => `c${i}`).join(',')}\n1\n`,
    reason: 'too_many_columns',
    line: 1,
    says: /columns/,
  },
];

describeEachDb('data tools: upload', (t) => {
  const app = useTestApp(t);

  const autocheckpoint = async () =>
    t().dialect === 'sqlite'
      ? Number(
          Object.values(
            (await sql<Record<string, number>>`PRAGMA wal_autocheckpoint`.execute(t().ctx.db)).rows[0] ?? {},
          )[0],
        )
      : null;

  it('moves WAL checkpoints to a thread while a checkpointer is open (SQLite), and gives them back after', async () => {
    const ctx = t().ctx;
    const checkpointer = await openCheckpointer(ctx);
    if (t().dialect === 'postgres') {
      expect(checkpointer).toBeNull();
      return;
    }
    expect(await autocheckpoint()).toBe(0);
    await buildPerson(ctx, { uniqueId: 'CP-1' });
    checkpointer?.committed();
    checkpointer?.committed();
    await checkpointer?.close();
    expect(checkpointer?.copied).toBeGreaterThan(0);
    expect(await autocheckpoint()).toBe(1000);
  });

  it('stages a large file with its checkpoints on a thread (SQLite), all rows in order', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const rows = 105_000;
    const file = `Community ID,Unique ID\n${Array.from({ length: rows }, (_, i) => `${i % 7},L-${i}`).join('\n')}\n`;
    const up = await upload(app(), cookie, { type: 'invite_to_community', file });
    expect(up.statusCode).toBe(201);
    expect(up.json().rowCount).toBe(rows);
    const staged = await t()
      .ctx.db.selectFrom('data_job_row')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('row_number').as('last')])
      .where('data_job_id', '=', up.json().id)
      .executeTakeFirstOrThrow();
    expect([Number(staged.n), Number(staged.last)]).toEqual([rows, rows + 1]);
    const last = await t()
      .ctx.db.selectFrom('data_job_row')
      .select('values')
      .where('data_job_id', '=', up.json().id)
      .where('row_number', '=', rows + 1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(last.values)).toEqual([String((rows - 1) % 7), `L-${rows - 1}`]);
    expect(await autocheckpoint()).toBe(t().dialect === 'sqlite' ? 1000 : null);
  });

  it('stages a file and answers the job with columns, sample and a suggested mapping', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const file = '\uFEFFCommunity ID,Unique ID,Note\r\n1,S-1,"Hello, ""world"""\r\n2,S-2,"two\r\nlines"\r\n3,S-3,\r\n';
    const res = await upload(app(), cookie, {
      type: 'invite_to_community',
      file,
      fileName: 'C:\\Users\\ada\\Desktop\\../spring invites.csv',
    });
    expect(res.statusCode).toBe(201);
    const job = res.json();
    expect(job).toMatchObject({
      type: 'invite_to_community',
      status: 'uploaded',
      fileName: 'spring invites.csv',
      rowCount: 3,
      hasHeader: true,
      columns: ['Community ID', 'Unique ID', 'Note'],
      suggestedMapping: { keyColumn: 2, keyType: 'unique_id', communityColumn: 1 },
      mapping: null,
      dryRun: null,
    });
    expect(job.sample).toEqual([
      { rowNumber: 2, values: ['1', 'S-1', 'Hello, "world"'] },
      { rowNumber: 3, values: ['2', 'S-2', 'two\r\nlines'] },
      { rowNumber: 4, values: ['3', 'S-3', ''] },
    ]);
  });

  it('accepts LF files, fields after the file, and "first row is data"', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const res = await upload(app(), cookie, {
      type: 'deactivate',
      hasHeader: false,
      file: 'U1\nU2\n\nU3',
      fieldsLast: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      type: 'deactivate',
      rowCount: 3,
      hasHeader: false,
      columns: ['Column 1'],
      sample: [
        { rowNumber: 1, values: ['U1'] },
        { rowNumber: 2, values: ['U2'] },
        { rowNumber: 3, values: ['U3'] },
      ],
    });
  });

  it('keeps only the base name of the file, without control characters, at most 200 characters', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const res = await upload(app(), cookie, {
      type: 'reactivate',
      file: 'Unique ID\nU1\n',
      fileName: `/etc/${'a'.repeat(300)}.csv`,
    });
    expect(res.json().fileName).toBe('a'.repeat(200));
  });

  for (const bad of badFiles) {
    it(`refuses ${bad.name} with the line and keeps nothing`, async () => {
      const { cookie } = await adminCookie(t().ctx);
      const before = await stagedCounts(t());
      const res = await upload(app(), cookie, {
        type: 'invite_to_community',
        file: bad.file,
        hasHeader: bad.hasHeader,
      });
      expect(res.statusCode).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('csv_invalid');
      expect(error.details).toEqual({ line: bad.line, reason: bad.reason });
      expect(error.message).toMatch(bad.says);
      expect(await stagedCounts(t())).toEqual(before);
    });
  }

  it('refuses a bad row after many good ones (staged batches are removed too)', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const before = await stagedCounts(t());
    const good = Array.from({ length: 25_000 }, (_, i) => `${(i % 5) + 1},U${i}`).join('\n');
    const res = await upload(app(), cookie, {
      type: 'invite_to_community',
      file: `Community ID,Unique ID\n${good}\n1,"U\n`,
    });
    expect(res.json().error.details).toEqual({ line: 25_002, reason: 'unbalanced_quotes' });
    expect(await stagedCounts(t())).toEqual(before);
  });

  it('refuses a missing or unknown type, and a request without a file', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const before = await stagedCounts(t());
    const noType = await upload(app(), cookie, { file: 'a\n1\n' });
    expect(noType.json().error.code).toBe('validation_failed');
    const badType = await upload(app(), cookie, { type: 'delete_everyone', file: 'a\n1\n', fieldsLast: true });
    expect(badType.json().error.message).toMatch(/^type:/);
    const json = await app().inject({
      method: 'POST',
      url: '/api/admin/data-jobs',
      headers: { cookie },
      payload: { type: 'preverify' },
    });
    expect(json.statusCode).toBe(415);
    expect(await stagedCounts(t())).toEqual(before);
  });

  it('hides an upload still arriving and sweeps one abandoned for an hour', async () => {
    const ctx = t().ctx;
    const { cookie, adminId } = await adminCookie(ctx);
    const { insertUploadingDataJob } = await import('../engine/data-job.repository.js');
    const stale = await insertUploadingDataJob(ctx.db, {
      type: 'deactivate',
      fileName: 'x.csv',
      hasHeader: true,
      createdBy: adminId,
      now: ctx.clock.now(),
    });
    await ctx.db.insertInto('data_job_row').values({ data_job_id: stale, row_number: 2, values: '["A"]' }).execute();
    expect((await app().inject({ url: `/api/admin/data-jobs/${stale}`, headers: { cookie } })).statusCode).toBe(404);
    t().clock.advance(2 * 60 * 60 * 1000);
    expect((await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\nA\n' })).statusCode).toBe(201);
    expect(await ctx.db.selectFrom('data_job').select('id').where('id', '=', stale).execute()).toEqual([]);
    expect(
      await ctx.db.selectFrom('data_job_row').select('row_number').where('data_job_id', '=', stale).execute(),
    ).toEqual([]);
  });

  it('is for site admins only', async () => {
    const member = await buildPerson(t().ctx);
    const res = await upload(app(), await sessionCookie(t().ctx, member.id), { type: 'preverify', file: 'a\n1\n' });
    expect(res.statusCode).toBe(403);
    const anonymous = await upload(app(), '', { type: 'preverify', file: 'a\n1\n' });
    expect(anonymous.statusCode).toBe(401);
    const list = await app().inject({
      url: '/api/admin/data-jobs',
      headers: { cookie: await sessionCookie(t().ctx, member.id) },
    });
    expect(list.statusCode).toBe(403);
  });

  it('serves a sample file per type', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const res = await app().inject({
      url: '/api/admin/data-jobs/samples/invite_to_community.csv',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.body.split('\r\n')[0]).toBe('Community ID,Unique ID');
    expect((await app().inject({ url: '/api/admin/data-jobs/samples/nope.csv', headers: { cookie } })).statusCode).toBe(
      404,
    );
  });
});

describeEachDb(
  'data tools: upload limits',
  (t) => {
    const app = useTestApp(t);

    it('refuses more rows than the limit', async () => {
      const { cookie } = await adminCookie(t().ctx);
      const res = await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\nA\nB\nC\nD\n' });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'csv_too_many_rows', details: { limit: 3, line: 5 } });
      const noHeader = await upload(app(), cookie, { type: 'deactivate', hasHeader: false, file: 'A\nB\nC\nD\n' });
      expect(noHeader.json().error.code).toBe('csv_too_many_rows');
      expect((await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\nA\nB\nC\n' })).statusCode).toBe(201);
    });

    it('refuses more bytes than the limit', async () => {
      const { cookie } = await adminCookie(t().ctx);
      const res = await upload(app(), cookie, { type: 'deactivate', file: `Unique ID\n${'x'.repeat(300)}\n` });
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'csv_too_large', details: { limit: 200 } });
      const jobs = await t()
        .ctx.db.selectFrom('data_job')
        .select('id')
        .where('status', '=', 'uploaded')
        .where('row_count', '>', 3)
        .execute();
      expect(jobs).toEqual([]);
    });
  },
  { uploadMaxRows: 3, uploadMaxBytes: 200 },
);
