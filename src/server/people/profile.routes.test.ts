/** PATCH /api/me: a member sets their own name (people invited by address alone have none). Both databases. */
import { expect, it } from 'vitest';
import type { Me } from '../../shared/auth.js';
import { buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { findPersonById } from './person.repository.js';

describeEachDb('PATCH /api/me', (t) => {
  const app = useTestApp(t);
  const patch = (cookie: string, payload: Record<string, unknown>) =>
    app().inject({ method: 'PATCH', url: '/api/me', headers: { cookie }, payload });

  it('sets the first and last name (trimmed) and the search keys; GET /api/me shows them', async () => {
    const person = await buildPerson(t().ctx, { firstName: '', lastName: '' });
    const cookie = await sessionCookie(t().ctx, person.id);
    const res = await patch(cookie, { firstName: '  Ada ', lastName: 'Lovelace' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: person.id, firstName: 'Ada', lastName: 'Lovelace' });
    const me = (await app().inject({ method: 'GET', url: '/api/me', headers: { cookie } })).json() as Me;
    expect(me).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(await findPersonById(t().ctx.db, person.id)).toMatchObject({
      name_key: 'ada lovelace',
      last_name_key: 'lovelace',
    });
    expect((await patch(cookie, { lastName: 'King' })).json()).toMatchObject({ firstName: 'Ada', lastName: 'King' });
  });

  it('takes up to 50 characters per name; longer, empty bodies and other fields are refused', async () => {
    const person = await buildPerson(t().ctx, { firstName: 'Old', lastName: 'Name' });
    const cookie = await sessionCookie(t().ctx, person.id);
    expect((await patch(cookie, { firstName: 'a'.repeat(50) })).statusCode).toBe(200);
    for (const body of [{ firstName: 'a'.repeat(51) }, { lastName: 'b'.repeat(51) }, {}, { email: 'x@example.org' }]) {
      expect((await patch(cookie, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await findPersonById(t().ctx.db, person.id)).toMatchObject({
      first_name: 'a'.repeat(50),
      last_name: 'Name',
    });
  });

  it('needs a sign-in', async () => {
    expect((await app().inject({ method: 'PATCH', url: '/api/me', payload: { firstName: 'X' } })).statusCode).toBe(401);
  });
});
