/** `convene admin add <email> [--first-name F] [--last-name L]`: names are optional. Both databases. */
import { expect, it } from 'vitest';
import { buildPerson } from '../testing/factories.js';
import { describeEachDb } from '../testing/test-db.js';
import { addSiteAdmin, firstAdminHint } from './admin-bootstrap.service.js';
import { nextEmail } from './testing.js';

describeEachDb('admin add with names', (t) => {
  it('sets the names (and their search keys) when given, keeps them when not', async () => {
    const { ctx } = t();
    const email = nextEmail('named-admin');
    const added = await addSiteAdmin(ctx, email, { firstName: ' Grace ', lastName: 'Hopper' });
    expect(added.person).toMatchObject({
      first_name: 'Grace',
      last_name: 'Hopper',
      name_key: 'grace hopper',
      last_name_key: 'hopper',
      is_admin: 1,
    });
    const again = await addSiteAdmin(ctx, email);
    expect(again.person).toMatchObject({ first_name: 'Grace', last_name: 'Hopper' });

    const nameless = await addSiteAdmin(ctx, nextEmail('nameless-admin'));
    expect(nameless.person).toMatchObject({ first_name: '', last_name: '', name_key: '' });

    const member = await buildPerson(ctx, { firstName: 'Ada', lastName: 'Lovelace' });
    const promoted = await addSiteAdmin(ctx, member.email ?? '', { lastName: 'King' });
    expect(promoted.created).toBe(false);
    expect(promoted.person).toMatchObject({ first_name: 'Ada', last_name: 'King', name_key: 'ada king', is_admin: 1 });
  });

  it('serve mentions `admin add` only while the site has no active admin', async () => {
    const { ctx } = t();
    await ctx.db.updateTable('person').set({ is_admin: 0 }).execute();
    expect(await firstAdminHint(ctx)).toMatch(/npx convene admin add/);
    await buildPerson(ctx, { isAdmin: true, status: 'inactive' });
    expect(await firstAdminHint(ctx)).toMatch(/npx convene admin add/);
    await addSiteAdmin(ctx, nextEmail('hint-admin'));
    expect(await firstAdminHint(ctx)).toBeNull();
  });
});
