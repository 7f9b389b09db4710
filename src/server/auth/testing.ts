/** Helpers for the sign-in tests: ask for a code as a browser would, and read it from the outbox. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../context.js';
import type { SignInCodeEmail } from './sign-in.email.js';

let ipSeq = 0;
/** A fresh client address, so tests do not share the per-IP cap. */
export function nextIp(): string {
  ipSeq += 1;
  return `10.${(ipSeq >> 16) & 255}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
}

let emailSeq = 0;
export function nextEmail(prefix = 'signin'): string {
  emailSeq += 1;
  return `${prefix}-${process.pid}-${emailSeq}@example.test`;
}

/** A browser: keeps the cookies the server sets and sends them back. */
export class Browser {
  readonly jar = new Map<string, string>();
  constructor(
    private readonly app: () => FastifyInstance,
    readonly ip = nextIp(),
  ) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async post(url: string, payload: unknown): Promise<LightMyRequestResponse> {
    const res = await this.app().inject({
      method: 'POST',
      url,
      payload: payload as object,
      remoteAddress: this.ip,
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    this.keep(res);
    return res;
  }

  async get(url: string, method: 'GET' | 'HEAD' = 'GET'): Promise<LightMyRequestResponse> {
    const res = await this.app().inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: this.cookie ? { cookie: this.cookie } : {},
    });
    this.keep(res);
    return res;
  }

  private keep(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const cleared =
        c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now());
      if (cleared) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
  }
}

/** The newest sign-in email queued for an address (code and link), or undefined. */
export async function latestSignInEmail(
  ctx: AppContext,
  email: string,
): Promise<(SignInCodeEmail & { expiresAt: number | null }) | undefined> {
  const row = await ctx.db
    .selectFrom('email_outbox')
    .select(['payload', 'expires_at'])
    .where('to_address', '=', email.toLowerCase())
    .where('template', '=', 'sign_in_code')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { ...(JSON.parse(row.payload) as SignInCodeEmail), expiresAt: row.expires_at } : undefined;
}

export async function countSignInEmails(ctx: AppContext, email: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('email_outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('to_address', '=', email.toLowerCase())
    .where('template', '=', 'sign_in_code')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The token at the end of a sign-in link. */
export function linkToken(link: string): string {
  return link.slice(link.lastIndexOf('/') + 1);
}

/** A wrong code for this right one. */
export function wrongCode(code: string): string {
  return ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');
}
