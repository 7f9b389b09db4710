import { expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { addMembership, buildAdmin, buildCommunity, buildPerson, sessionCookie } from '../testing/factories.js';
import { describeEachDb } from '../testing/test-db.js';
import { readPersonCounts, reservePreverificationIds, updatePerson } from './person.repository.js';
import {
  approvePerson,
  deactivatePerson,
  reactivatePerson,
  rejectPerson,
  setPersonAdmin,
} from './person-status.service.js';
import { preverifyPerson } from './preverify.service.js';

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describeEachDb('person statuses', (t) => {
  it('approves a pending person, with a new Unique ID, and audits it', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const pending = await buildPerson(ctx, { status: 'pending' });
    const approved = await approvePerson(ctx, admin, pending.id, { uniqueId: '  S-1001 ' });
    expect(approved).toMatchObject({ id: pending.id, status: 'active', unique_id: 'S-1001' });
    expect(approved.activated_at).not.toBeNull();
    const audit = await ctx.db
      .selectFrom('audit_event')
      .selectAll()
      .where('action', '=', 'person.approve')
      .where('target_id', '=', String(pending.id))
      .executeTakeFirst();
    expect(audit?.actor_id).toBe(admin.id);
    expect(await codeOf(approvePerson(ctx, admin, pending.id))).toBe('invalid_status_transition');
  });

  it('merges a pending person into the pre-verified record with that Unique ID: one person, nothing lost', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const { person: pre } = await preverifyPerson(ctx, admin, {
      uniqueId: 'A-77',
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada.old@example.edu',
    });
    const pending = await buildPerson(ctx, {
      status: 'pending',
      email: 'ada@example.org',
      firstName: 'Ada',
      lastName: 'L',
    });
    const [c1, c2, c3] = [await buildCommunity(ctx), await buildCommunity(ctx), await buildCommunity(ctx)];
    await addMembership(ctx, c1.id, pre.id, 'invited', 'member', admin.id);
    await addMembership(ctx, c2.id, pending.id, 'requested');
    await addMembership(ctx, c3.id, pre.id, 'invited');
    await addMembership(ctx, c3.id, pending.id, 'joined');
    await ctx.db
      .updateTable('membership')
      .set({ source: 'landing' })
      .where('person_id', '=', pending.id)
      .where('community_id', '=', c2.id)
      .execute();

    const merged = await approvePerson(ctx, admin, pending.id, { uniqueId: 'A-77' });
    expect(merged).toMatchObject({
      id: pre.id,
      status: 'active',
      email: 'ada@example.org',
      unique_id: 'A-77',
      preverification_id: pre.preverification_id,
      first_name: 'Ada',
      last_name: 'Lovelace',
    });
    expect(
      await ctx.db.selectFrom('person').select('id').where('id', '=', pending.id).executeTakeFirst(),
    ).toBeUndefined();
    const memberships = await ctx.db
      .selectFrom('membership')
      .select(['community_id', 'state'])
      .where('person_id', '=', pre.id)
      .orderBy('community_id')
      .execute();
    expect(memberships).toEqual([
      { community_id: c1.id, state: 'invited' },
      { community_id: c2.id, state: 'joined' }, // the landing join remembered while pending
      { community_id: c3.id, state: 'joined' },
    ]);
    const audit = await ctx.db
      .selectFrom('audit_event')
      .select('details')
      .where('action', '=', 'person.approve')
      .where('target_id', '=', String(pre.id))
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details ?? '{}')).toMatchObject({
      mergedFrom: pending.id,
      previousEmail: 'ada.old@example.edu',
    });
  });

  it('refuses a Unique ID held by someone who is not pre-verified', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    await buildPerson(ctx, { uniqueId: 'TAKEN-1' });
    const pending = await buildPerson(ctx, { status: 'pending' });
    expect(await codeOf(approvePerson(ctx, admin, pending.id, { uniqueId: 'TAKEN-1' }))).toBe('unique_id_taken');
    expect(
      (await ctx.db.selectFrom('person').select('status').where('id', '=', pending.id).executeTakeFirstOrThrow())
        .status,
    ).toBe('pending');
  });

  it('rejects a pending person (removed) and refuses to reject anyone else', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const pending = await buildPerson(ctx, { status: 'pending' });
    await rejectPerson(ctx, admin, pending.id);
    expect(
      await ctx.db.selectFrom('person').select('id').where('id', '=', pending.id).executeTakeFirst(),
    ).toBeUndefined();
    const active = await buildPerson(ctx);
    expect(await codeOf(rejectPerson(ctx, admin, active.id))).toBe('invalid_status_transition');
  });

  it('deactivation ends sessions at once and closes open invitations; reactivation does not reopen them', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const person = await buildPerson(ctx);
    await sessionCookie(ctx, person.id);
    const [c1, c2, c3] = [
      await buildCommunity(ctx),
      await buildCommunity(ctx, { privacy: 'private' }),
      await buildCommunity(ctx),
    ];
    await addMembership(ctx, c1.id, person.id, 'invited');
    await addMembership(ctx, c2.id, person.id, 'requested');
    await addMembership(ctx, c3.id, person.id, 'joined');
    await deactivatePerson(ctx, admin, person.id);
    expect(await ctx.db.selectFrom('session').select('id').where('person_id', '=', person.id).execute()).toEqual([]);
    const states = async () =>
      (
        await ctx.db
          .selectFrom('membership')
          .select(['community_id', 'state'])
          .where('person_id', '=', person.id)
          .orderBy('community_id')
          .execute()
      ).map((m) => m.state);
    expect(await states()).toEqual(['removed', 'removed', 'joined']);
    const back = await reactivatePerson(ctx, admin, person.id);
    expect(back.status).toBe('active');
    expect(await states()).toEqual(['removed', 'removed', 'joined']);
  });

  it('deactivates pre-verified people too; reactivated, they are pre-verified again; pending people cannot be deactivated', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const { person } = await preverifyPerson(ctx, admin, {
      email: `pv-${Date.now()}@example.edu`,
      firstName: 'P',
      lastName: 'V',
    });
    expect((await deactivatePerson(ctx, admin, person.id)).status).toBe('inactive');
    expect((await reactivatePerson(ctx, admin, person.id)).status).toBe('pre_verified');
    const pending = await buildPerson(ctx, { status: 'pending' });
    expect(await codeOf(deactivatePerson(ctx, admin, pending.id))).toBe('invalid_status_transition');
    expect(await codeOf(reactivatePerson(ctx, admin, pending.id))).toBe('invalid_status_transition');
  });

  it('keeps the last active site admin: no demotion, no deactivation', async () => {
    const { ctx } = t();
    // Everyone else's admin flag off, so that exactly one active admin remains.
    await ctx.db.updateTable('person').set({ is_admin: 0 }).execute();
    const only = await buildAdmin(ctx);
    expect(await codeOf(setPersonAdmin(ctx, only, only.id, false))).toBe('last_admin');
    expect(await codeOf(deactivatePerson(ctx, only, only.id))).toBe('last_admin');
    const second = await buildAdmin(ctx);
    await setPersonAdmin(ctx, second, only.id, false);
    expect(await codeOf(deactivatePerson(ctx, second, second.id))).toBe('last_admin');
    await setPersonAdmin(ctx, second, only.id, true);
    await deactivatePerson(ctx, only, second.id);
    expect(await codeOf(setPersonAdmin(ctx, only, only.id, false))).toBe('last_admin');
  });

  it('two admins removing each other at once: exactly one succeeds, one admin remains', async () => {
    const { ctx } = t();
    await ctx.db.updateTable('person').set({ is_admin: 0 }).execute();
    const [a, b] = [await buildAdmin(ctx), await buildAdmin(ctx)];
    const outcomes = await Promise.all([
      codeOf(deactivatePerson(ctx, a, b.id)),
      codeOf(setPersonAdmin(ctx, b, a.id, false)),
    ]);
    expect(outcomes.sort()).toEqual(['last_admin', 'ok']);
    const admins = await ctx.db
      .selectFrom('person')
      .select('id')
      .where('is_admin', '=', 1)
      .where('status', '=', 'active')
      .execute();
    expect(admins).toHaveLength(1);
  });

  it('revoking admin ends the person’s sessions; only active people become admins', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const other = await buildAdmin(ctx);
    await sessionCookie(ctx, other.id);
    await setPersonAdmin(ctx, admin, other.id, false);
    expect(await ctx.db.selectFrom('session').select('id').where('person_id', '=', other.id).execute()).toEqual([]);
    const pending = await buildPerson(ctx, { status: 'pending' });
    expect(await codeOf(setPersonAdmin(ctx, admin, pending.id, true))).toBe('invalid_status_transition');
  });

  it('keeps the tab counts right through every transition', async () => {
    const { ctx } = t();
    const admin = await buildAdmin(ctx);
    const before = await readPersonCounts(ctx.db);
    const pending = await buildPerson(ctx, { status: 'pending' });
    const active = await buildPerson(ctx);
    await approvePerson(ctx, admin, pending.id);
    await deactivatePerson(ctx, admin, active.id);
    await setPersonAdmin(ctx, admin, pending.id, true);
    const after = await readPersonCounts(ctx.db);
    expect(after.pending - before.pending).toBe(0);
    expect(after.active - before.active).toBe(1);
    expect(after.inactive - before.inactive).toBe(1);
    expect(after.admins - before.admins).toBe(1);
    const truth = await ctx.db.selectFrom('person').select(['status']).execute();
    expect(after.active).toBe(truth.filter((p) => p.status === 'active').length);
  });

  it('keeps the name keys right when only one name changes', async () => {
    const { ctx } = t();
    const p = await buildPerson(ctx, { firstName: 'Old', lastName: 'Name' });
    await updatePerson(ctx.db, p.id, { last_name: 'Newer' });
    const row = await ctx.db
      .selectFrom('person')
      .select(['name_key', 'last_name_key'])
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name_key: 'old newer', last_name_key: 'newer' });
  });

  it('reserves Pre-verification IDs in blocks, never below what the table holds', async () => {
    const { ctx } = t();
    await buildPerson(ctx, { status: 'pre_verified', preverificationId: 5000 });
    const first = await reservePreverificationIds(ctx.db, 10);
    expect(first).toBe(5001);
    expect(await reservePreverificationIds(ctx.db, 1)).toBe(5011);
  });
});
