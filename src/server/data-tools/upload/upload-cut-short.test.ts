/** An upload whose body stops early is the client's fault: 400 with a clear message, and no job left behind. */
import { expect, it } from 'vitest';
import { buildAdmin, sessionCookie } from '../../testing/factories.js';
import { useTestApp } from '../../testing/test-app.js';
import { describeEachDb } from '../../testing/test-db.js';

describeEachDb('a cut-short upload', (t) => {
  const app = useTestApp(t);

  it('answers 400 wherever the body stops, and keeps nothing', async () => {
    const cookie = await sessionCookie(t().ctx, (await buildAdmin(t().ctx)).id);
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},name${i}`).join('\r\n');
    const body =
      '--x\r\nContent-Disposition: form-data; name="type"\r\n\r\npreverify\r\n' +
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n' +
      `Unique ID,First Name\r\n${rows}\r\n\r\n--x--\r\n`;
    const fileStart = body.indexOf('Unique ID');
    // in the first part, in the file's headers, just into the file, mid-file, just before the closing boundary
    for (const cut of [40, fileStart - 5, fileStart + 10, Math.floor(body.length / 2), body.length - 8]) {
      const res = await app().inject({
        method: 'POST',
        url: '/api/admin/data-jobs',
        headers: { cookie, 'content-type': 'multipart/form-data; boundary=x' },
        payload: body.slice(0, cut),
      });
      expect(res.statusCode, `cut at ${cut}: ${res.body}`).toBe(400);
      expect(res.json().error).toEqual({
        code: 'bad_request',
        message: 'The upload is malformed or was cut short. Send the whole file again.',
      });
    }
    const jobs = await t().ctx.db.selectFrom('data_job').select('id').execute();
    expect(jobs).toEqual([]);
    const whole = await app().inject({
      method: 'POST',
      url: '/api/admin/data-jobs',
      headers: { cookie, 'content-type': 'multipart/form-data; boundary=x' },
      payload: body,
    });
    expect(whole.statusCode).toBe(201);
    expect(whole.json().rowCount).toBe(2000);
  });
});
