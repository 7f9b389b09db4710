/** Helpers for the landing tests: a browser's cookie jar over inject(), and the emailed code. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../context.js';
import { findMembership } from '../memberships/index.js';

/** One browser: keeps the cookies the app sets and sends them back. */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: () => FastifyInstance,
    readonly ip = '203.0.113.7',
  ) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(
    method: 'GET' | 'POST' | 'PATCH' | 'HEAD',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse> {
    const res = await this.app().inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: this.cookies.size ? { cookie: this.cookieHeader } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired =
        c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now()) || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get signedIn(): boolean {
    return this.cookies.has('convene_session');
  }
}

/** The code and link token of the newest sign-in email to `email`. */
export async function lastCodeEmail(
  ctx: AppContext,
  email: string,
): Promise<{ code: string; link: string; token: string }> {
  const row = await ctx.db
    .selectFrom('email_outbox')
    .select(['payload'])
    .where('to_address', '=', email.toLowerCase())
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const payload = JSON.parse(row.payload) as { code: string; link: string };
  const token = payload.link.slice(payload.link.indexOf('#link=') + '#link='.length);
  return { ...payload, token };
}

export async function countCodeEmails(ctx: AppContext, email: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_address', '=', email.toLowerCase())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function membershipOf(ctx: AppContext, communityId: number, personId: number) {
  return findMembership(ctx.db, communityId, personId);
}

export async function personByEmail(ctx: AppContext, email: string) {
  return ctx.db.selectFrom('person').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}
