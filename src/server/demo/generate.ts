/**
 * Generates a deterministic synthetic site (member types, people in every status with Unique IDs,
 * communities with leaders, members and open invitations) with batched multi-row inserts that
 * work on both dialects. Used by `convene demo` and by the benchmarks.
 */
import type { PersonStatus, Privacy } from '../../shared/enums.js';
import { isPostgres, type Db } from '../db/db.js';
import type { NewPerson } from '../db/schema.js';
import { insertMemberships, type NewMembership } from '../memberships/index.js';
import { communityStems, communityTopics, firstNames, lastNames, memberTypes } from './names.js';
import { seededRng, type Rng } from './random.js';

export interface SiteSpec {
  readonly people: number;
  readonly communities: number;
  readonly seed: number;
  /** average memberships (joined) per active person; default 1 */
  readonly membershipsPerPerson?: number;
  /** report progress, e.g. for the CLI */
  readonly onProgress?: (what: string, done: number, total: number) => void;
}

export interface GeneratedSite {
  readonly firstPersonId: number;
  readonly lastPersonId: number;
  readonly communityIds: readonly number[];
  readonly memberships: number;
}

/** The status of the i-th generated person (0-based): mostly active, some of every other status. */
export function demoStatusOf(i: number): PersonStatus {
  const r = i % 100;
  if (r < 85) return 'active';
  if (r < 91) return 'pre_verified';
  if (r < 94) return 'invited';
  if (r < 97) return 'pending';
  return 'inactive';
}

/** The Unique ID of the i-th person, or null for invited and pending people (the site did not know them). */
export function demoUniqueIdOf(i: number): string | null {
  const status = demoStatusOf(i);
  return status === 'invited' || status === 'pending' ? null : `U${String(i + 1).padStart(7, '0')}`;
}

/** True when this database already holds a generated demo site (its first person), which a second run would collide with. */
export async function hasDemoSite(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('person')
    .select('id')
    .where((eb) => eb.or([eb('email', '=', demoEmailOf(0)), eb('unique_id', '=', demoUniqueIdOf(0))]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The generated person i's names; the email is built from the same names. */
export function demoNamesOf(i: number): { first: string; last: string } {
  return { first: firstNames[(i * 13 + (i >> 3)) % firstNames.length], last: lastNames[(i * 7) % lastNames.length] };
}

export function demoEmailOf(i: number): string {
  const { first, last } = demoNamesOf(i);
  return `${first.toLowerCase()}.${last.toLowerCase()}.${i + 1}@example.edu`;
}

/** Writes generated rows in batches that fit the dialect's parameter limit. */
async function insertInBatches<R>(
  db: Db,
  write: (batch: R[]) => Promise<unknown>,
  rows: () => Generator<R>,
  columns: number,
  onBatch?: (n: number) => void,
): Promise<void> {
  const maxParams = isPostgres(db) ? 65_000 : 32_000;
  const size = Math.max(1, Math.floor(maxParams / columns));
  let batch: R[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await write(batch);
    onBatch?.(batch.length);
    batch = [];
  };
  for (const row of rows()) {
    batch.push(row);
    if (batch.length >= size) await flush();
  }
  await flush();
}

function communityName(rng: Rng, i: number): string {
  if (i % 5 === 0) return `Class of ${1970 + (i % 55)}${i >= 55 ? ` · ${Math.floor(i / 55) + 1}` : ''}`;
  return `${rng.pick(communityStems)} ${rng.pick(communityTopics)} ${i + 1}`;
}

/** "A community for Alumni in Berlin" (the number that keeps names apart dropped); a class keeps its year. */
export function demoHeadline(name: string): string {
  return /^Class of \d{4}( · \d+)?$/.test(name)
    ? `A community for the ${name.replace(/ · \d+$/, '')}`
    : `A community for ${name.replace(/ \d+$/, '')}`;
}

function privacyOf(i: number): Privacy {
  const r = i % 10;
  return r < 6 ? 'public' : r < 9 ? 'private' : 'invite_only';
}

export async function generateSite(db: Db, spec: SiteSpec, now = Date.now()): Promise<GeneratedSite> {
  const rng = seededRng(spec.seed);
  const progress = spec.onProgress ?? (() => {});

  await db
    .insertInto('member_type')
    .values(memberTypes.map((name) => ({ name, name_key: name.toLowerCase(), created_at: now })))
    .onConflict((oc) => oc.column('name_key').doNothing())
    .execute();
  const types = await db.selectFrom('member_type').select(['id', 'name_key']).execute();
  const typeIds = types.map((t) => t.id);

  const before = await db
    .selectFrom('person')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  const maxPv = await db
    .selectFrom('person')
    .select((eb) => eb.fn.max('preverification_id').as('max'))
    .executeTakeFirst();
  let nextPv = Number(maxPv?.max ?? 100_000) + 1;
  let done = 0;
  await insertInBatches(
    db,
    (batch) => db.insertInto('person').values(batch).execute(),
    function* (): Generator<NewPerson> {
      for (let i = 0; i < spec.people; i++) {
        const { first, last } = demoNamesOf(i);
        const status = demoStatusOf(i);
        const noEmail = status === 'pre_verified' && i % 20 === 1;
        yield {
          unique_id: demoUniqueIdOf(i),
          preverification_id: status === 'pre_verified' || (status === 'active' && i % 3 === 0) ? nextPv++ : null,
          email: noEmail ? null : demoEmailOf(i),
          first_name: status === 'pending' && i % 2 ? '' : first,
          last_name: status === 'pending' && i % 2 ? '' : last,
          name_key: status === 'pending' && i % 2 ? '' : `${first} ${last}`.toLowerCase(),
          last_name_key: status === 'pending' && i % 2 ? '' : last.toLowerCase(),
          member_type_id: typeIds[i % typeIds.length],
          status,
          is_admin: 0,
          invite_token_hash: null,
          created_at: now - (spec.people - i) * 1000,
          updated_at: now,
          activated_at: status === 'active' || status === 'inactive' ? now : null,
          last_sign_in_at: null,
        };
      }
    },
    16,
    (n) => progress('people', (done += n), spec.people),
  );
  const firstPersonId = Number(before?.max ?? 0) + 1;
  const lastPersonId = firstPersonId + spec.people - 1;

  const existingSlugs = new Set((await db.selectFrom('community').select('slug').execute()).map((r) => r.slug));
  const communities: { name: string; slug: string; privacy: Privacy }[] = [];
  for (let i = 0; i < spec.communities; i++) {
    const name = communityName(rng, i);
    let slug = name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    while (existingSlugs.has(slug)) slug = `${slug}-${rng.int(1000)}`;
    existingSlugs.add(slug);
    communities.push({ name, slug, privacy: privacyOf(i) });
  }
  const communityIds: number[] = [];
  for (let i = 0; i < communities.length; i += 1000) {
    const rows = await db
      .insertInto('community')
      .values(
        communities.slice(i, i + 1000).map(
          (c, j) =>
            ({
              name: c.name,
              slug: c.slug,
              privacy: c.privacy,
              headline: demoHeadline(c.name),
              description: `Welcome to ${c.name}. Meet people, share news and find events. (Generated demo community ${i + j + 1}.)`,
              landing_enabled: (i + j) % 4 === 0 ? 1 : 0,
              landing_policy: 'anyone',
              landing_domains: '',
              landing_headline: null,
              landing_welcome: null,
              created_by: null,
              created_at: now,
              updated_at: now,
            }) as const,
        ),
      )
      .returning('id')
      .execute();
    communityIds.push(...rows.map((r) => r.id));
  }

  // Memberships: heavy-tailed community sizes; the first two members of each community lead it.
  const perPerson = spec.membershipsPerPerson ?? 1;
  const activeCount = Math.floor(spec.people * 0.85);
  const total = Math.floor(activeCount * perPerson);
  const weights = communityIds.map((_, i) => 1 / (1 + i * 0.05));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  let memberships = 0;
  done = 0;
  await insertInBatches(
    db,
    (batch) => insertMemberships(db, batch),
    function* (): Generator<NewMembership> {
      for (let c = 0; c < communityIds.length; c++) {
        const size = Math.max(3, Math.round((total * weights[c]) / weightSum));
        const seen = new Set<number>();
        for (let k = 0; k < size && seen.size < spec.people; k++) {
          const i = rng.int(spec.people);
          const status = demoStatusOf(i);
          if (seen.has(i) || status === 'pending') continue;
          seen.add(i);
          // Active people are members (some only invited); pre-verified, invited and inactive ones hold open invitations.
          const invited = status !== 'active' || k % 20 === 19;
          memberships++;
          yield {
            community_id: communityIds[c],
            person_id: firstPersonId + i,
            state: invited ? 'invited' : 'joined',
            role: !invited && seen.size <= 2 ? 'leader' : 'member',
            source: invited ? 'direct' : 'admin',
            invited_by: null,
            invited_at: invited ? now - k * 60_000 : null,
            data_job_id: null,
            data_job_row: null,
            message: null,
            email_status: invited ? (status === 'pre_verified' ? 'pre_verified' : 'not_sent') : null,
            email_outbox_id: null,
            emailed_at: null,
            joined_at: invited ? null : now - k * 60_000,
            created_at: now,
            updated_at: now,
          };
        }
      }
    },
    16,
    (n) => progress('memberships', (done += n), total),
  );

  return { firstPersonId, lastPersonId, communityIds, memberships };
}
