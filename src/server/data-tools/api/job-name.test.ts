/** A data job's name: set in the review step, shown in the list; blank removes it. Both databases. */
import { expect, it } from 'vitest';
import { useTestApp } from '../../testing/test-app.js';
import { describeEachDb } from '../../testing/test-db.js';
import { adminCookie, upload } from '../test-support.js';

describeEachDb('data job name', (t) => {
  const app = useTestApp(t);

  it('names a job, lists it by name, refuses a name over 100 characters, and removes a blank one', async () => {
    const { cookie } = await adminCookie(t().ctx);
    const id = (await upload(app(), cookie, { type: 'deactivate', file: 'Unique ID\nU1\n' })).json().id as number;
    const patch = (name: string | null) =>
      app().inject({ method: 'PATCH', url: `/api/admin/data-jobs/${id}`, headers: { cookie }, payload: { name } });

    const named = await patch('  Spring clean-up ');
    expect(named.statusCode).toBe(200);
    expect(named.json()).toMatchObject({ id, name: 'Spring clean-up', fileName: 'people.csv' });
    const list = await app().inject({ url: '/api/admin/data-jobs', headers: { cookie } });
    expect(list.json().items.find((j: { id: number }) => j.id === id)).toMatchObject({ name: 'Spring clean-up' });

    const tooLong = await patch('x'.repeat(101));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toMatch(/at most 100 characters/);
    expect((await patch('   ')).json()).toMatchObject({ name: null });
    const missing = await app().inject({
      method: 'PATCH',
      url: '/api/admin/data-jobs/999999',
      headers: { cookie },
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(404);
  });
});
