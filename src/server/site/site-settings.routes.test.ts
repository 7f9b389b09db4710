/** GET / PATCH /api/admin/settings: the invitation expiry and reminder schedule. Both databases. */
import { expect, it } from 'vitest';
import { buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';

describeEachDb('admin site settings', (t) => {
  const app = useTestApp(t);
  const adminCookie = async () => sessionCookie(t().ctx, (await buildAdmin(t().ctx)).id);
  const patch = (cookie: string, payload: Record<string, unknown>) =>
    app().inject({ method: 'PATCH', url: '/api/admin/settings', headers: { cookie }, payload });
  const get = (cookie: string) => app().inject({ method: 'GET', url: '/api/admin/settings', headers: { cookie } });

  it('answers the defaults until an admin changes them: 30 days, reminders at 3 and 10 days and 2 days before', async () => {
    const res = await get(await adminCookie());
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ invitationExpiryDays: 30, reminderDays: [3, 10], reminderBeforeExpiryDays: 2 });
  });

  it('changes only the settings given, sorts reminder days, allows "never" and no last reminder', async () => {
    const cookie = await adminCookie();
    const first = await patch(cookie, { reminderDays: [14, 3, 3, 7] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      invitationExpiryDays: 30,
      reminderDays: [3, 7, 14],
      reminderBeforeExpiryDays: 2,
    });
    const second = await patch(cookie, { invitationExpiryDays: null, reminderBeforeExpiryDays: null });
    expect(second.json()).toMatchObject({
      invitationExpiryDays: null,
      reminderDays: [3, 7, 14],
      reminderBeforeExpiryDays: null,
    });
    expect((await get(cookie)).json()).toMatchObject(second.json());
    await patch(cookie, { invitationExpiryDays: 7, reminderDays: [] });
    expect((await get(cookie)).json()).toMatchObject({
      invitationExpiryDays: 7,
      reminderDays: [],
      reminderBeforeExpiryDays: null,
    });
  });

  it('refuses days below 1, fractions, strings and unknown fields, and changes nothing', async () => {
    const cookie = await adminCookie();
    const before = { invitationExpiryDays: 30, reminderDays: [3, 10], reminderBeforeExpiryDays: 2 };
    expect((await patch(cookie, before)).statusCode).toBe(200);
    for (const body of [
      { invitationExpiryDays: 0 },
      { invitationExpiryDays: 1.5 },
      { reminderDays: [0] },
      { reminderDays: ['3'] },
      { reminderBeforeExpiryDays: -1 },
      { invitationExpiryDays: 5, surprise: true },
    ]) {
      const res = await patch(cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    expect((await get(cookie)).json()).toMatchObject(before);
  });

  it('is for site admins only', async () => {
    const member = await sessionCookie(t().ctx, (await buildPerson(t().ctx)).id);
    expect((await get(member)).statusCode).toBe(403);
    expect((await patch(member, { invitationExpiryDays: 1 })).statusCode).toBe(403);
  });
});
