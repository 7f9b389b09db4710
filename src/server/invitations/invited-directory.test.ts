/**
 * The Invited list grown up, on both databases: keyset paging past 50 over thousands of
 * invitations (written set-based), search, filters by standing, email state and source, counts per
 * filter, the CSV export (same filters, formula-escaped cells), revoke with undo, what a leader
 * and a site admin see, and the index each read of the list seeks (its counts: invited-counts.test.ts).
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import type { InvitedMember, InvitedMembersPage } from '../../shared/invitations.js';
import type { CommunityRow, PersonRow } from '../db/schema.js';
import { isPostgres } from '../db/db.js';
import { listInvitedRows } from '../memberships/index.js';
import { insertInvitations, insertPeople } from '../testing/bulk-people.js';
import { addMembership, buildAdmin, buildPerson, sessionCookie } from '../testing/factories.js';
import { explainQuery, recordQueries, sqlOf } from '../testing/query-plans.js';
import { useTestApp } from '../testing/test-app.js';
import { describeEachDb } from '../testing/test-db.js';
import { ledCommunity } from './invitation-test-helpers.js';

const total = 3000;
// person i: standings cycle open, open, declined, expired, revoked, open (hidden) by id
const standings = [
  ['invited', null],
  ['invited', null],
  ['left', 'decline'],
  ['removed', 'expire'],
  ['removed', 'revoke'],
  ['dismissed', null],
] as const;
const sources = ['direct', 'data_job', 'landing', 'direct'] as const;
const emailStatuses = ['sent', 'queued', 'not_sent', 'pre_verified', 'failed'];

describeEachDb('the Invited list, grown up', (t) => {
  const app = useTestApp(t);
  let community: CommunityRow;
  let leader: PersonRow;
  let leaderCookie: string;
  let adminCookie: string;
  let people: { id: number }[];
  const get = (url: string, cookie = leaderCookie) => app().inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, cookie = leaderCookie) => app().inject({ method: 'POST', url, headers: { cookie } });
  const list = async (query: string, cookie = leaderCookie) => {
    const res = await get(`/api/communities/${community.id}/invitations?${query}`, cookie);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as InvitedMembersPage;
  };
  /** Every page of a filtered list, following nextCursor. */
  const all = async (query: string, cookie = leaderCookie) => {
    const items: InvitedMember[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: InvitedMembersPage = await list(`${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, cookie);
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  };

  beforeAll(async () => {
    const { ctx } = t();
    const led = await ledCommunity(ctx);
    community = led.community;
    leader = led.leader;
    leaderCookie = led.cookie;
    adminCookie = await sessionCookie(ctx, (await buildAdmin(ctx)).id);
    const prefix = `ID${community.id}`;
    await insertPeople(ctx.db, {
      prefix,
      count: total,
      statuses: ['active', 'invited', 'pre_verified'],
      now: ctx.clock.now(),
    });
    await insertInvitations(ctx.db, {
      prefix,
      communityId: community.id,
      invitedBy: leader.id,
      now: ctx.clock.now(),
      standings,
      sources,
      emailStatuses,
    });
    people = await ctx.db
      .selectFrom('membership')
      .select('person_id as id')
      .where('community_id', '=', community.id)
      .where('role', '=', 'member')
      .orderBy('person_id')
      .execute();
    if (isPostgres(ctx.db)) await sql`ANALYZE`.execute(ctx.db);
  });

  /** How many of the generated invitations satisfy `keep` (by person id, as the generator cycles). */
  const expected = (keep: (id: number) => boolean) => people.filter((p) => keep(p.id)).length;
  const standingOf = (id: number) => ['open', 'open', 'declined', 'expired', 'revoked', 'open'][id % 6];

  it('pages past 50 along the keyset, newest first, without a gap or a repeat, and counts each filter', async () => {
    const first = await list('');
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    const listed = expected((id) => standingOf(id) !== 'revoked');
    expect(first.total).toBe(expected((id) => standingOf(id) === 'open'));
    const { items, pages } = await all('');
    expect(items).toHaveLength(listed);
    expect(pages).toBe(Math.ceil(listed / 200));
    expect(new Set(items.map((i) => i.personId)).size).toBe(listed);
    const times = items.map((i) => i.invitedAt ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(first.counts?.state).toEqual({
      open: expected((id) => standingOf(id) === 'open'),
      declined: expected((id) => standingOf(id) === 'declined'),
      expired: expected((id) => standingOf(id) === 'expired'),
      revoked: expected((id) => standingOf(id) === 'revoked'),
      listed,
    });
    expect(first.counts?.source).toEqual({
      direct: expected((id) => standingOf(id) !== 'revoked' && sources[id % 4] === 'direct'),
      data_job: expected((id) => standingOf(id) !== 'revoked' && sources[id % 4] === 'data_job'),
      landing: expected((id) => standingOf(id) !== 'revoked' && sources[id % 4] === 'landing'),
    });
  });

  it('filters by standing, email state and source together; each answer’s items, total and facets agree', async () => {
    for (const [query, keep] of [
      ['state=open', (id: number) => standingOf(id) === 'open'],
      ['state=revoked', (id: number) => standingOf(id) === 'revoked'],
      ['state=expired&source=direct', (id: number) => standingOf(id) === 'expired' && sources[id % 4] === 'direct'],
      [
        'state=declined&email=failed',
        (id: number) => standingOf(id) === 'declined' && emailStatuses[id % 5] === 'failed',
      ],
      [
        'email=sent&source=data_job',
        (id: number) =>
          standingOf(id) !== 'revoked' && emailStatuses[id % 5] === 'sent' && sources[id % 4] === 'data_job',
      ],
    ] as const) {
      const { items } = await all(query);
      expect(items.length, query).toBe(expected(keep));
      expect(items.length, query).toBeGreaterThan(0);
      expect(
        items.every((i) => keep(i.personId)),
        query,
      ).toBe(true);
      const counts = (await list(query)).counts!;
      const state = query.match(/state=(\w+)/)?.[1] as keyof typeof counts.state | undefined;
      expect(counts.state[state ?? 'listed'], query).toBe(items.length);
    }
    const open = await list('state=open&source=landing');
    // the state facet is given the source filter, the source facet the state filter
    expect(open.counts?.state.declined).toBe(
      expected((id) => standingOf(id) === 'declined' && sources[id % 4] === 'landing'),
    );
    expect(open.counts?.source.direct).toBe(
      expected((id) => standingOf(id) === 'open' && sources[id % 4] === 'direct'),
    );
    const bad = await get(`/api/communities/${community.id}/invitations?state=joined`);
    expect(bad.statusCode).toBe(400);
  });

  it('searches by name prefix with the filters', async () => {
    const target = people.find((p) => standingOf(p.id) === 'expired')!;
    const row = await t()
      .ctx.db.selectFrom('person')
      .select(['last_name', 'email'])
      .where('id', '=', target.id)
      .executeTakeFirstOrThrow();
    const page = await list(`q=${encodeURIComponent(row.last_name)}&state=expired`);
    expect(page.items.map((i) => i.personId)).toContain(target.id);
    expect(
      (await list(`q=${encodeURIComponent(row.last_name)}&state=open`)).items.map((i) => i.personId),
    ).not.toContain(target.id);
  });

  it('a leader sees no site status; a site admin does; a leader of another community sees nothing', async () => {
    const leaderPage = await list('state=open');
    expect(leaderPage.items.every((i) => i.status === null)).toBe(true);
    const adminPage = await list('state=open', adminCookie);
    expect(new Set(adminPage.items.map((i) => i.status))).toEqual(new Set(['active', 'invited', 'pre_verified']));
    const other = await ledCommunity(t().ctx);
    expect((await get(`/api/communities/${community.id}/invitations`, other.cookie)).statusCode).toBe(403);
    expect((await get(`/api/communities/${community.id}/invitations.csv`, other.cookie)).statusCode).toBe(403);
  });

  it('exports the filtered list as CSV: every row, formula cells escaped, site status for admins only', async () => {
    const { ctx } = t();
    const evil = await buildPerson(ctx, { firstName: '=HYPERLINK("http://x")', lastName: '+cmd', status: 'active' });
    await addMembership(ctx, community.id, evil.id, 'invited', 'member', leader.id);
    const res = await get(`/api/communities/${community.id}/invitations.csv?state=expired`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'First name,Last name,Email,Invitation,Invited by,Invited at,Source,Email state,Emailed at,Expires at,Revoked at',
    );
    expect(lines).toHaveLength(1 + expected((id) => standingOf(id) === 'expired'));
    expect(lines.slice(1).every((l) => l.includes(',expired,'))).toBe(true);
    const open = (
      await get(`/api/communities/${community.id}/invitations.csv?state=open&q=${encodeURIComponent('=hyp')}`)
    ).body;
    expect(open).toContain(`"'=HYPERLINK(""http://x"")",'+cmd,`);
    const asAdmin = (
      await get(
        `/api/communities/${community.id}/invitations.csv?state=open&q=${encodeURIComponent('=hyp')}`,
        adminCookie,
      )
    ).body;
    expect(asAdmin.split('\r\n')[0]).toContain('Site status');
    expect(asAdmin).toContain(',active,open,');
  });

  it('revoke, then undo within the minute: the same person only, and the stopped email goes out after all', async () => {
    const { ctx, clock } = t();
    const person = await buildPerson(ctx, { status: 'active' });
    await addMembership(ctx, community.id, person.id, 'invited', 'member', leader.id);
    const base = `/api/communities/${community.id}/invitations/${person.id}`;
    expect((await post(`${base}/revoke`)).statusCode).toBe(200);
    expect(
      (await list('state=revoked&q=' + encodeURIComponent(person.last_name.toLowerCase()))).items[0],
    ).toMatchObject({
      personId: person.id,
      invitation: 'revoked',
      revokedAt: ctx.clock.now(),
    });
    // someone else (even a site admin) cannot undo it
    const undoByAdmin = await post(`${base}/undo-revoke`, adminCookie);
    expect(undoByAdmin.statusCode).toBe(409);
    expect(undoByAdmin.json().error.code).toBe('revoke_undo_unavailable');
    clock.advance(30_000);
    expect((await post(`${base}/undo-revoke`)).statusCode).toBe(200);
    const back = await list('state=open&q=' + encodeURIComponent(person.last_name.toLowerCase()));
    expect(back.items.map((i) => i.personId)).toContain(person.id);
    // once only
    expect((await post(`${base}/undo-revoke`)).json().error.code).toBe('revoke_undo_unavailable');
    // too late after a minute
    expect((await post(`${base}/revoke`)).statusCode).toBe(200);
    clock.advance(61_000);
    expect((await post(`${base}/undo-revoke`)).json().error.code).toBe('revoke_undo_unavailable');
    expect((await list('state=revoked&q=' + encodeURIComponent(person.last_name.toLowerCase()))).items).toHaveLength(1);
  });

  it('the undo puts back an invitation email the revoke stopped', async () => {
    const { ctx } = t();
    const email = `undo-${community.id}@example.org`;
    const res = await app().inject({
      method: 'POST',
      url: `/api/communities/${community.id}/invitations`,
      headers: { cookie: leaderCookie },
      payload: { emails: email, sendEmail: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    const personId = res.json().results[0].personId as number;
    const outbox = () =>
      ctx.db
        .selectFrom('email_outbox')
        .select(['state', 'last_error'])
        .where('to_address', '=', email)
        .executeTakeFirstOrThrow();
    expect((await outbox()).state).toBe('queued');
    await post(`/api/communities/${community.id}/invitations/${personId}/revoke`);
    expect(await outbox()).toEqual({ state: 'failed', last_error: 'invitation revoked' });
    await post(`/api/communities/${community.id}/invitations/${personId}/undo-revoke`);
    expect(await outbox()).toEqual({ state: 'queued', last_error: null });
  });

  it('the list seeks the (community, state) index for every filter', async () => {
    const db = t().ctx.db;
    const filters = [
      undefined,
      { standing: 'open' as const },
      { standing: 'revoked' as const, source: 'landing' as const },
    ];
    for (const filter of filters) {
      const queries = (await recordQueries(db, (d) => listInvitedRows(d, community.id, { limit: 51, filter }))).filter(
        (q) => sqlOf(db, q).includes('"membership"'),
      );
      expect(queries).toHaveLength(1);
      const explained = await explainQuery(db, queries[0]!, 'membership');
      const where = `${JSON.stringify(filter)}\n${explained.plan}`;
      if (isPostgres(db)) {
        // PostgreSQL may start from person when this community holds nearly every person of the
        // test database, probing membership's key per person: an index either way, never a scan.
        expect(explained.access.length, where).toBeGreaterThan(0);
        for (const access of explained.access) {
          expect(access.index, where).not.toBeNull();
          expect(access.seek, where).not.toBe('');
        }
      } else {
        expect(explained.access, where).toEqual([
          { index: 'membership_community_state_idx', seek: expect.stringMatching(/^community_id,state\b/) },
        ]);
      }
    }
  });
});
