/**
 * The Members tabs: one tab's people in name order, keyset-paged on (name_key, id), optionally
 * filtered by `q`. Every branch of a search is a separate index range scan, merged in memory, so
 * a page costs a few index seeks whatever the size of the site (bench/scenarios/members.ts).
 */
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { PersonTab } from '../../shared/people.js';
import { isPostgres, type DbOrTrx } from '../db/db.js';
import type { Database, PersonRow } from '../db/schema.js';
import { fitsRowId } from '../db/row-id.js';

export type PersonListRow = Omit<PersonRow, 'invite_token_hash'> & { has_invite_token: boolean };

export interface PersonCursor {
  readonly nameKey: string;
  readonly id: number;
}

export interface ListPeopleOptions {
  readonly tab: PersonTab;
  readonly q?: string;
  readonly after?: PersonCursor;
  readonly limit: number;
}

type PersonQuery = SelectQueryBuilder<Database, 'person', PersonListRow>;
type Eb = ExpressionBuilder<Database, 'person'>;

const MAX_CHAR = '\u{10FFFF}';

type TextColumn = 'email' | 'name_key' | 'last_name_key';

/**
 * The column as the tabs compare it: byte-wise. SQLite does so by default; PostgreSQL is told
 * (COLLATE "C", served by the 1302 migration's indexes), so that a prefix is one range whatever
 * the database's collation, and both dialects page in the same order.
 */
function col(db: DbOrTrx, column: TextColumn) {
  return isPostgres(db) ? sql<string>`${sql.ref(column)} collate "C"` : sql<string>`${sql.ref(column)}`;
}

function startsWith(db: DbOrTrx, column: TextColumn, prefix: string) {
  return (eb: Eb) => eb.and([eb(col(db, column), '>=', prefix), eb(col(db, column), '<', prefix + MAX_CHAR)]);
}

/** (name_key, id) > cursor, in the tabs' order. */
function afterCursor(db: DbOrTrx, after: PersonCursor) {
  return (eb: Eb) => eb(eb.tuple(col(db, 'name_key'), eb.ref('id')), '>', eb.tuple(after.nameKey, after.id));
}

function tabFilter<Q extends SelectQueryBuilder<Database, 'person', object>>(q: Q, tab: PersonTab): Q {
  return (tab === 'admins' ? q.where('is_admin', '=', 1) : q.where('status', '=', tab)) as Q;
}

function selectColumns(db: DbOrTrx): PersonQuery {
  return db
    .selectFrom('person')
    .select([
      'id',
      'unique_id',
      'preverification_id',
      'email',
      'first_name',
      'last_name',
      'name_key',
      'last_name_key',
      'member_type_id',
      'status',
      'is_admin',
      'created_at',
      'updated_at',
      'activated_at',
      'last_sign_in_at',
      sql<boolean>`invite_token_hash is not null`.as('has_invite_token'),
    ]) as unknown as PersonQuery;
}

function baseQuery(db: DbOrTrx, options: ListPeopleOptions): PersonQuery {
  let q = tabFilter(selectColumns(db), options.tab);
  if (options.after) q = q.where(afterCursor(db, options.after));
  return q.orderBy(col(db, 'name_key')).orderBy('id').limit(options.limit);
}

type Filter = (eb: Eb) => ReturnType<Eb['and']> | ReturnType<Eb>;
/** A filter to run against the tab, or the ids of a page already cut from a covering index. */
type Branch = Filter | { readonly ids: readonly number[] };

/**
 * Up to this many matches a prefix is "narrow": its covering index lists the matches with their
 * name keys and the page is cut in memory. Above it, matches are dense enough that walking the
 * tab in name order — or, for last names, merging each last name's own ordered list — is cheaper.
 */
const NARROW_MATCHES = 1000;

/**
 * A prefix filter on email or last name. Narrow → the page's ids; broad → a filter that walks
 * the tab in name order and stops at the page's end instead of sorting every match (on SQLite the
 * column is hidden from the planner with a unary `+`, so it does walk).
 */
async function prefixBranch(
  db: DbOrTrx,
  options: ListPeopleOptions,
  column: 'email' | 'last_name_key',
  prefix: string,
): Promise<Branch> {
  // Count first (inside SQLite, no rows cross into JavaScript); fetch only a narrow set.
  const counted = await db
    .selectFrom(
      tabFilter(db.selectFrom('person').select('id'), options.tab)
        .where(startsWith(db, column, prefix))
        .limit(NARROW_MATCHES + 1)
        .as('m'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const dense = Number(counted.n) > NARROW_MATCHES;
  // Emails begin with people's names, so a broad email prefix clusters in name order and the
  // walk below would read half the tab; such a term ("jo", "li") is a name search, and the name
  // branches answer it. A term with '@' is always an email search.
  if (dense && column === 'email' && !prefix.includes('@')) return { ids: [] };
  if (!dense) {
    const matches = await tabFilter(db.selectFrom('person').select(['id', 'name_key']), options.tab)
      .where(startsWith(db, column, prefix))
      .execute();
    const after = options.after;
    const ids = matches
      .filter((m) => !after || m.name_key > after.nameKey || (m.name_key === after.nameKey && m.id > after.id))
      .sort((a, b) => (a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id))
      .slice(0, options.limit + 1)
      .map((m) => m.id);
    return { ids };
  }
  if (column === 'last_name_key' && options.tab !== 'admins') {
    const ids = await pageByDistinctLastNames(db, options, prefix);
    if (ids) return { ids };
  }
  const hidden = isPostgres(db) ? col(db, column) : sql<string>`+${sql.ref(column)}`;
  return (eb: Eb): ReturnType<Eb['and']> => eb.and([eb(hidden, '>=', prefix), eb(hidden, '<', prefix + MAX_CHAR)]);
}

const MAX_DISTINCT_LAST_NAMES = 20;
type Ordered = { id: number; name_key: string };
const byNameThenId = (a: Ordered, b: Ordered) =>
  a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id;

/**
 * A broad last-name prefix usually covers a few last names ("olsen", "olsen-berg"); for each, the
 * (status, last_name_key, name_key) index lists its people already in name order, so a page is a
 * merge of a few short index reads. Walking the tab in name order instead can be long when last
 * names cluster with first names. Undefined when the prefix spans too many last names.
 */
async function pageByDistinctLastNames(
  db: DbOrTrx,
  options: ListPeopleOptions,
  prefix: string,
): Promise<number[] | undefined> {
  const values: string[] = [];
  while (values.length <= MAX_DISTINCT_LAST_NAMES) {
    const previous = values[values.length - 1];
    const next = await tabFilter(db.selectFrom('person').select('last_name_key'), options.tab)
      .where(col(db, 'last_name_key'), previous === undefined ? '>=' : '>', previous ?? prefix)
      .where(col(db, 'last_name_key'), '<', prefix + MAX_CHAR)
      .orderBy(col(db, 'last_name_key'))
      .limit(1)
      .executeTakeFirst();
    if (!next) break;
    values.push(next.last_name_key);
  }
  if (values.length > MAX_DISTINCT_LAST_NAMES) return undefined;
  const parts = await Promise.all(
    values.map((value) => {
      let q = tabFilter(db.selectFrom('person').select(['id', 'name_key']), options.tab).where(
        col(db, 'last_name_key'),
        '=',
        value,
      );
      if (options.after) q = q.where(afterCursor(db, options.after));
      return q
        .orderBy(col(db, 'name_key'))
        .orderBy('id')
        .limit(options.limit + 1)
        .execute();
    }),
  );
  return parts
    .flat()
    .sort(byNameThenId)
    .slice(0, options.limit + 1)
    .map((r) => r.id);
}

/** The filters one search expands to; each is served by its own index. */
async function searchBranches(db: DbOrTrx, options: ListPeopleOptions, raw: string): Promise<Branch[]> {
  const q = raw.trim();
  const lower = q.toLowerCase();
  const branches: Branch[] = [(eb) => eb('unique_id', '=', q)];
  if (/^\d{1,15}$/.test(q)) {
    const n = Number(q);
    // A long number (an 11-digit student ID) is only a Unique ID: no Profile or Pre-verification ID is that large.
    if (fitsRowId(n))
      branches.push(
        (eb) => eb('id', '=', n),
        (eb) => eb('preverification_id', '=', n),
      );
    return branches;
  }
  branches.push(await prefixBranch(db, options, 'email', lower));
  if (!q.includes('@'))
    branches.push(startsWith(db, 'name_key', lower), await prefixBranch(db, options, 'last_name_key', lower));
  return branches;
}

/** One page (limit rows) of a tab, plus whether more follow. */
export async function listPeople(
  db: DbOrTrx,
  options: ListPeopleOptions,
): Promise<{ rows: PersonListRow[]; hasMore: boolean }> {
  const fetch = { ...options, limit: options.limit + 1 };
  const q = options.q?.trim();
  let rows: PersonListRow[];
  if (!q) {
    rows = await baseQuery(db, fetch).execute();
  } else {
    const branches = await searchBranches(db, options, q);
    // A list of ids needs no tab, cursor or order (they were applied when it was cut); giving
    // SQLite the ORDER BY would make it walk the tab in name order instead of fetching the ids.
    const parts = await Promise.all(
      branches.map((branch) =>
        typeof branch === 'function'
          ? baseQuery(db, fetch).where(branch).execute()
          : branch.ids.length
            ? selectColumns(db)
                .where('id', 'in', [...branch.ids])
                .execute()
            : [],
      ),
    );
    const byId = new Map<number, PersonListRow>();
    for (const part of parts) for (const r of part) byId.set(r.id, r);
    rows = [...byId.values()].sort((a, b) =>
      a.name_key < b.name_key ? -1 : a.name_key > b.name_key ? 1 : a.id - b.id,
    );
  }
  const normalized = rows.map((r) => ({ ...r, has_invite_token: Boolean(r.has_invite_token) }));
  return { rows: normalized.slice(0, options.limit), hasMore: normalized.length > options.limit };
}
