/**
 * People: tab counts kept by triggers (so the Members screen never counts a million rows),
 * a sequence for Pre-verification IDs, and the indexes the Members tabs and search page on.
 */
import { sql } from 'kysely';
import { type AnyDb, pgOf } from '../migration-helpers.js';

const keys = ['pre_verified', 'invited', 'pending', 'active', 'inactive', 'admins'];

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('id_sequence')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_value', 'bigint', (c) => c.notNull())
    .execute();
  const maxPre = await db
    .selectFrom('person')
    .select(sql<number>`coalesce(max(preverification_id), 0)`.as('m'))
    .executeTakeFirst();
  await db
    .insertInto('id_sequence')
    .values({ name: 'preverification_id', next_value: Number(maxPre?.m ?? 0) + 1 })
    .execute();

  // `slot` spreads PostgreSQL's counter updates over a few rows (one per backend, roughly), so
  // concurrent transactions that add people do not queue (or deadlock) on one hot row.
  await db.schema
    .createTable('person_count')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_count_pk', ['key', 'slot'])
    .execute();
  const byStatus = await db
    .selectFrom('person')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  const admins = await db
    .selectFrom('person')
    .select(sql<number>`count(*)`.as('n'))
    .where('is_admin', '=', 1)
    .executeTakeFirst();
  const initial = new Map<string, number>(byStatus.map((r: { status: string; n: number }) => [r.status, Number(r.n)]));
  initial.set('admins', Number(admins?.n ?? 0));
  await db
    .insertInto('person_count')
    .values(keys.map((key) => ({ key, slot: 0, n: initial.get(key) ?? 0 })))
    .execute();

  // Triggers are the only way to keep the counts right whoever writes the person table (services,
  // bulk jobs, the demo loader, direct inserts); their syntax differs per dialect.
  if (pgOf(db)) {
    await sql`
      CREATE FUNCTION person_count_bump(k text, d bigint) RETURNS void LANGUAGE sql AS $$
        INSERT INTO person_count (key, slot, n) VALUES (k, pg_backend_pid() % 8 + 1, d)
        ON CONFLICT (key, slot) DO UPDATE SET n = person_count.n + excluded.n
      $$`.execute(db);
    await sql`
      CREATE FUNCTION person_count_trg() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM person_count_bump(NEW.status, 1);
          IF NEW.is_admin = 1 THEN PERFORM person_count_bump('admins', 1); END IF;
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM person_count_bump(OLD.status, -1);
          IF OLD.is_admin = 1 THEN PERFORM person_count_bump('admins', -1); END IF;
        ELSE
          IF OLD.status <> NEW.status THEN
            PERFORM person_count_bump(OLD.status, -1);
            PERFORM person_count_bump(NEW.status, 1);
          END IF;
          IF OLD.is_admin <> NEW.is_admin THEN PERFORM person_count_bump('admins', NEW.is_admin - OLD.is_admin); END IF;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE TRIGGER person_count_trg AFTER INSERT OR UPDATE OF status, is_admin OR DELETE ON person
      FOR EACH ROW EXECUTE FUNCTION person_count_trg()`.execute(db);
  } else {
    await sql`CREATE TRIGGER person_count_ins AFTER INSERT ON person BEGIN
      UPDATE person_count SET n = n + 1 WHERE slot = 0 AND (key = NEW.status OR (key = 'admins' AND NEW.is_admin = 1));
    END`.execute(db);
    await sql`CREATE TRIGGER person_count_del AFTER DELETE ON person BEGIN
      UPDATE person_count SET n = n - 1 WHERE slot = 0 AND (key = OLD.status OR (key = 'admins' AND OLD.is_admin = 1));
    END`.execute(db);
    await sql`CREATE TRIGGER person_count_upd AFTER UPDATE OF status, is_admin ON person
      WHEN OLD.status <> NEW.status OR OLD.is_admin <> NEW.is_admin BEGIN
      UPDATE person_count SET n = n + (CASE WHEN key = NEW.status THEN 1 ELSE 0 END) - (CASE WHEN key = OLD.status THEN 1 ELSE 0 END)
        + (CASE WHEN key = 'admins' THEN NEW.is_admin - OLD.is_admin ELSE 0 END)
      WHERE slot = 0 AND key IN (OLD.status, NEW.status, 'admins');
    END`.execute(db);
  }

  await db.schema.createIndex('person_admin_name_idx').on('person').columns(['is_admin', 'name_key', 'id']).execute();
  await db.schema
    .createIndex('person_status_last_name_idx')
    .on('person')
    .columns(['status', 'last_name_key', 'id'])
    .execute();
}
