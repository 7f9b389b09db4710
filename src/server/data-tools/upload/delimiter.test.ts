/** The column separator: detected among `,` `;` and tab, or chosen; blank-line files; duplicate headers. */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../testing/test-app.js';
import { describeEachDb } from '../../testing/test-db.js';
import { adminCookie, upload } from '../test-support.js';
import { detectDelimiter } from './delimiter.js';

describe('detectDelimiter', () => {
  it('picks the separator found on every line, outside quotes', () => {
    expect(detectDelimiter('Community ID;Unique ID\n1;S-1\n2;S-2\n')).toBe(';');
    expect(detectDelimiter('Community ID\tUnique ID\r\n1\tS-1\r\n')).toBe('\t');
    expect(detectDelimiter('a,b\n1,2\n')).toBe(',');
    // commas inside quoted values do not count; the semicolons do
    expect(detectDelimiter('\uFEFFName;Note\n"Doe, Jane";"a, b, c"\n"Roe, Rick";x\n')).toBe(';');
    // a single column, or nothing: a comma
    expect(detectDelimiter('U1\nU2\n')).toBe(',');
    expect(detectDelimiter('')).toBe(',');
  });
});

describeEachDb('upload: the column separator', (t) => {
  const app = useTestApp(t);

  it('reads a semicolon file as columns, answers the delimiter on the job and maps its columns', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const file = 'Community ID;Unique ID;Note\r\n1;S-1;"a; b"\r\n2;S-2;\r\n';
    const res = await upload(app(), cookie, { type: 'invite_to_community', file });
    expect(res.statusCode).toBe(201);
    const id = res.json().id as number;
    const job = await app().inject({ method: 'GET', url: `/api/admin/data-jobs/${id}`, headers: { cookie } });
    expect(job.json()).toMatchObject({
      delimiter: ';',
      columns: ['Community ID', 'Unique ID', 'Note'],
      suggestedMapping: { keyColumn: 2, keyType: 'unique_id', communityColumn: 1 },
      sample: [
        { rowNumber: 2, values: ['1', 'S-1', 'a; b'] },
        { rowNumber: 3, values: ['2', 'S-2', ''] },
      ],
    });
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: { keyColumn: 'Unique ID', keyType: 'unique_id', communityColumn: 'Community ID' },
    });
    expect(mapped.statusCode).toBe(200);
    expect(mapped.json()).toMatchObject({ mapping: { keyColumn: 2, communityColumn: 1 } });
  });

  it('reads a tab file, and the separator the admin chooses over the detected one', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const tabbed = await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\tName\nU1\tAda\n' });
    expect(tabbed.json()).toMatchObject({ delimiter: '\t', columns: ['Unique ID', 'Name'] });
    // "a;b" is one column when the admin says the file is comma-separated
    const chosen = await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID;x\nU1;y\n', delimiter: 'comma' });
    expect(chosen.json()).toMatchObject({ delimiter: ',', columns: ['Unique ID;x'] });
    const refused = await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\nU1\n', delimiter: 'pipe' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'validation_failed' });
    expect(refused.json().error.message).toMatch(/delimiter: must be auto, comma, semicolon or tab/);
  });

  it('calls a file of blank lines empty, and says what to do with a header-only file', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const blank = await upload(app(), cookie, { type: 'deactivate', file: ',,\r\n , ,\r\n\r\n,,\r\n' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details).toMatchObject({ reason: 'empty' });
    expect(blank.json().error.message).toMatch(/every line is blank/);
    const headerOnly = await upload(app(), cookie, { type: 'deactivate', file: 'U1\n' });
    expect(headerOnly.json().error.details).toMatchObject({ reason: 'header_only' });
    expect(headerOnly.json().error.message).toMatch(/The first row is data/);
  });

  it('refuses a column named twice when the mapping names it, saying which columns', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const res = await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID,Email,Unique ID\nU1,a@x.org,U2\n' });
    const id = res.json().id as number;
    const mapped = await app().inject({
      method: 'PUT',
      url: `/api/admin/data-jobs/${id}/mapping`,
      headers: { cookie },
      payload: { keyColumn: 'unique id', keyType: 'unique_id' },
    });
    expect(mapped.statusCode).toBe(400);
    expect(mapped.json().error.code).toBe('mapping_invalid');
    expect(mapped.json().error.message).toMatch(/2 columns are named "unique id" \(columns 1 and 3\)/);
  });
});
