/**
 * API tokens over HTTP: made and revoked on /api/admin/tokens, scopes enforced on every kind of
 * route, expiry and revocation answered with their own codes, and the last-used time kept
 * without ever failing the request it records.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiTokenScope } from '../../shared/enums.js';
import type { PersonRow } from '../db/schema.js';
import { apiToken, buildAdmin, sessionCookie } from '../testing/factories.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { TOKEN_TOUCH_EVERY_MS } from './api-token.service.js';

const DAY_MS = 86_400_000;

describeEachDb('API tokens', (t) => {
  const app = useTestApp(t);
  let admin: PersonRow;
  let cookie = '';
  beforeAll(async () => {
    admin = await buildAdmin(t().ctx);
    cookie = await sessionCookie(t().ctx, admin.id);
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const create = (payload: object) =>
    app().inject({ method: 'POST', url: '/api/admin/tokens', headers: { cookie }, payload });
  const list = async () =>
    (await app().inject({ url: '/api/admin/tokens', headers: { cookie } })).json().tokens as {
      id: number;
      name: string;
      state: string;
      lastUsedAt: number | null;
    }[];
  const tokenRow = (id: number) =>
    t().ctx.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  describe('create and list', () => {
    it('answers the token once; the list shows name, scopes, dates, owner and creator, never the token', async () => {
      const expiresAt = t().clock.now() + 30 * DAY_MS;
      const res = await create({ name: 'nightly export', scopes: ['read', 'data_jobs'], expiresAt });
      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created.token).toMatch(/^cvn_[A-Za-z0-9_-]{20,}$/);
      expect(created).toMatchObject({
        name: 'nightly export',
        scopes: ['read', 'data_jobs'],
        state: 'active',
        createdAt: t().clock.now(),
        expiresAt,
        lastUsedAt: null,
        revokedAt: null,
        owner: { id: admin.id },
        createdBy: { id: admin.id },
      });
      const listed = await app().inject({ url: '/api/admin/tokens', headers: { cookie } });
      expect(listed.body).not.toContain(created.token);
      const { token: _secret, ...withoutSecret } = created;
      expect(listed.json().tokens).toContainEqual(withoutSecret);
      expect((await tokenRow(created.id)).token_hash).not.toContain(created.token.slice(4));
      const audit = await t()
        .ctx.db.selectFrom('audit_event')
        .select(['actor_id', 'action'])
        .where('target_type', '=', 'api_token')
        .where('target_id', '=', String(created.id))
        .execute();
      expect(audit).toEqual([{ actor_id: admin.id, action: 'api_token.create' }]);
    });

    it('refuses an expiry in the past, no scope, an unknown scope or no name, and writes nothing', async () => {
      const before = (await list()).length;
      const past = await create({ name: 'x', scopes: ['read'], expiresAt: t().clock.now() });
      expect(past.statusCode).toBe(400);
      expect(past.json().error.code).toBe('api_token_expiry_past');
      for (const payload of [
        { name: 'x', scopes: [], expiresAt: null },
        { name: 'x', scopes: ['admin'], expiresAt: null },
        { name: ' ', scopes: ['read'], expiresAt: null },
        { name: 'x', scopes: ['read'] },
      ]) {
        const res = await create(payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(res.json().error.code).toBe('validation_failed');
      }
      expect(await list()).toHaveLength(before);
    });
  });

  describe('scopes', () => {
    const tokens: Partial<Record<ApiTokenScope, string>> = {};
    beforeAll(async () => {
      for (const scope of ['read', 'data_jobs', 'full'] as const)
        tokens[scope] = await apiToken(t().ctx, admin.id, { scopes: [scope] });
    });
    const call = (scope: ApiTokenScope, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      app().inject({ method, url, headers: bearer(tokens[scope]!), payload });
    const newPerson = () => ({
      email: `tok-${Math.random().toString(36).slice(2)}@example.edu`,
      firstName: 'T',
      lastName: 'Z',
    });

    it('read: safe GETs of admin and API data only', async () => {
      expect((await call('read', 'GET', '/api/admin/people')).statusCode).toBe(200);
      expect((await call('read', 'GET', '/api/admin/data-jobs')).statusCode).toBe(200);
      expect((await call('read', 'GET', '/api/admin/tokens')).statusCode).toBe(200);
      expect((await call('read', 'GET', '/api/me')).statusCode).toBe(200);
      for (const [method, url, payload] of [
        ['POST', '/api/admin/people', newPerson()],
        ['PATCH', '/api/admin/settings', { signupOpen: false }],
        ['POST', '/api/admin/data-jobs/999999/cancel', undefined],
        ['POST', '/api/admin/tokens', { name: 'more', scopes: ['full'], expiresAt: null }],
        ['DELETE', '/api/admin/tokens/999999', undefined],
        ['POST', '/api/auth/logout', undefined],
      ] as const) {
        const res = await call('read', method, url, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('api_token_scope');
      }
    });

    it('data_jobs: reads, and every Data Tools route, but no other change', async () => {
      expect((await call('data_jobs', 'GET', '/api/admin/people')).statusCode).toBe(200);
      // past the scope check: the job does not exist
      const cancel = await call('data_jobs', 'POST', '/api/admin/data-jobs/999999/cancel');
      expect(cancel.statusCode).toBe(404);
      expect(cancel.json().error.code).toBe('not_found');
      for (const [method, url, payload] of [
        ['POST', '/api/admin/people', newPerson()],
        ['PATCH', '/api/admin/settings', { signupOpen: false }],
        ['POST', '/api/admin/tokens', { name: 'more', scopes: ['full'], expiresAt: null }],
      ] as const) {
        const res = await call('data_jobs', method, url, payload);
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error.code).toBe('api_token_scope');
      }
    });

    it('full: everything its admin may', async () => {
      expect((await call('full', 'POST', '/api/admin/people', newPerson())).statusCode).toBe(201);
      expect((await call('full', 'POST', '/api/admin/data-jobs/999999/cancel')).statusCode).toBe(404);
      const made = await call('full', 'POST', '/api/admin/tokens', {
        name: 'child',
        scopes: ['read'],
        expiresAt: null,
      });
      expect(made.statusCode).toBe(201);
      expect((await call('full', 'DELETE', `/api/admin/tokens/${made.json().id}`)).statusCode).toBe(200);
    });

    it('scopes only narrow: a token of a person who is no longer an admin is refused', async () => {
      const other = await buildAdmin(t().ctx);
      const token = await apiToken(t().ctx, other.id, { scopes: ['full'] });
      await t().ctx.db.updateTable('person').set({ is_admin: 0 }).where('id', '=', other.id).execute();
      const res = await app().inject({ url: '/api/admin/people', headers: bearer(token) });
      expect(res.statusCode).toBe(401);
    });
  });

  it('an expired token is refused with api_token_expired from its expiry on', async () => {
    const token = await apiToken(t().ctx, admin.id, { scopes: ['read'], expiresAt: t().clock.now() + DAY_MS });
    expect((await app().inject({ url: '/api/me', headers: bearer(token) })).statusCode).toBe(200);
    t().clock.advance(DAY_MS - 1);
    expect((await app().inject({ url: '/api/me', headers: bearer(token) })).statusCode).toBe(200);
    t().clock.advance(1);
    const res = await app().inject({ url: '/api/me', headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('api_token_expired');
    expect((await list()).find((x) => x.name === 'script' && x.state === 'expired')).toBeDefined();
  });

  it('a revoked token is refused with api_token_revoked; revoking again changes nothing; unknown ids are 404', async () => {
    const created = (await create({ name: 'to revoke', scopes: ['full'], expiresAt: null })).json();
    expect((await app().inject({ url: '/api/me', headers: bearer(created.token) })).statusCode).toBe(200);
    t().clock.advance(1000);
    const del = () => app().inject({ method: 'DELETE', url: `/api/admin/tokens/${created.id}`, headers: { cookie } });
    const first = await del();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: created.id, state: 'revoked', revokedAt: t().clock.now() });
    const res = await app().inject({ url: '/api/me', headers: bearer(created.token) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('api_token_revoked');
    t().clock.advance(1000);
    expect((await del()).json().revokedAt).toBe(t().clock.now() - 1000);
    const actions = await t()
      .ctx.db.selectFrom('audit_event')
      .select('action')
      .where('target_type', '=', 'api_token')
      .where('target_id', '=', String(created.id))
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['api_token.create', 'api_token.revoke']);
    const unknown = await app().inject({ method: 'DELETE', url: '/api/admin/tokens/999999', headers: { cookie } });
    expect(unknown.statusCode).toBe(404);
  });

  it('records the last use at most once a minute per token', async () => {
    const created = (await create({ name: 'touch', scopes: ['read'], expiresAt: null })).json();
    const use = () => app().inject({ url: '/api/me', headers: bearer(created.token) });
    const first = t().clock.now();
    await use();
    expect((await tokenRow(created.id)).last_used_at).toBe(first);
    t().clock.advance(TOKEN_TOUCH_EVERY_MS - 1);
    await use();
    expect((await tokenRow(created.id)).last_used_at).toBe(first);
    t().clock.advance(1);
    await use();
    expect((await tokenRow(created.id)).last_used_at).toBe(t().clock.now());
    expect((await list()).find((x) => x.id === created.id)?.lastUsedAt).toBe(t().clock.now());
  });

  it('a failing last-used write does not fail the request', async () => {
    const { db } = t().ctx;
    const created = (await create({ name: 'touch fails', scopes: ['read'], expiresAt: null })).json();
    // A trigger makes the database refuse exactly that write, as a full disk or a lock timeout would.
    if (t().dialect === 'postgres') {
      await sql`CREATE FUNCTION refuse_touch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'touch refused'; END $$`.execute(db);
      await sql`CREATE TRIGGER refuse_touch BEFORE UPDATE OF last_used_at ON api_token
        FOR EACH ROW EXECUTE FUNCTION refuse_touch()`.execute(db);
    } else {
      await sql`CREATE TRIGGER refuse_touch BEFORE UPDATE OF last_used_at ON api_token
        BEGIN SELECT RAISE(ABORT, 'touch refused'); END`.execute(db);
    }
    try {
      const res = await app().inject({ url: '/api/admin/people', headers: bearer(created.token) });
      expect(res.statusCode).toBe(200);
      expect((await tokenRow(created.id)).last_used_at).toBeNull();
    } finally {
      await sql`DROP TRIGGER refuse_touch ${t().dialect === 'postgres' ? sql`ON api_token` : sql``}`.execute(db);
      if (t().dialect === 'postgres') await sql`DROP FUNCTION refuse_touch()`.execute(db);
    }
  });
});
