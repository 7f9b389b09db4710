/** Test support for single sign-on: a browser that follows redirects between the app and a real IdP. */
import type { FastifyInstance } from 'fastify';
import { Browser } from '../auth/testing.js';
import type { AppContext } from '../context.js';
import { siteOrigin } from '../testing/test-db.js';

export interface Hop {
  readonly url: string;
  readonly status: number;
}

/**
 * A browser: the app's cookies (its jar, through inject()) and the identity provider's (over real
 * HTTP). `go()` follows redirects until a page of the site (not `/api/`), or until `stop` says so.
 */
export class SsoBrowser extends Browser {
  readonly idpJar = new Map<string, string>();
  readonly hops: Hop[] = [];

  constructor(private readonly appOf: () => FastifyInstance) {
    super(appOf);
  }

  async delete(url: string) {
    return this.appOf().inject({ method: 'DELETE', url, remoteAddress: this.ip, headers: { cookie: this.cookie } });
  }

  get signedIn(): boolean {
    return this.jar.has('convene_session');
  }

  /** Follows redirects from `url`; answers the last URL reached (a site page, or where `stop` held). */
  async go(url: string, stop: (url: string) => boolean = () => false): Promise<string> {
    let current = url;
    for (let i = 0; i < 20; i++) {
      if (stop(current)) return current;
      const site = current.startsWith('/') || current.startsWith(siteOrigin);
      if (site) {
        const path = current.startsWith(siteOrigin) ? current.slice(siteOrigin.length) : current;
        if (!path.startsWith('/api/')) return path;
        const res = await this.get(path);
        this.hops.push({ url: path, status: res.statusCode });
        const location = res.headers.location;
        if (typeof location !== 'string') throw new Error(`${path} answered ${res.statusCode}: ${res.body}`);
        current = location;
      } else {
        const res = await fetch(current, {
          redirect: 'manual',
          headers: this.idpJar.size ? { cookie: [...this.idpJar].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
        });
        for (const set of res.headers.getSetCookie()) {
          const [pair] = set.split(';');
          const eq = pair.indexOf('=');
          const name = pair.slice(0, eq).trim();
          const value = pair.slice(eq + 1).trim();
          if (value === '' || /expires=Thu, 01 Jan 1970/i.test(set)) this.idpJar.delete(name);
          else this.idpJar.set(name, value);
        }
        this.hops.push({ url: current, status: res.status });
        const location = res.headers.get('location');
        if (!location) throw new Error(`${current} answered ${res.status}: ${await res.text()}`);
        await res.body?.cancel();
        current = new URL(location, current).href;
      }
    }
    throw new Error(`too many redirects: ${this.hops.map((h) => h.url).join(' → ')}`);
  }
}

/** Convene's callback URLs for provider ids 1…n, to register at the test IdP. */
export function callbackUrls(n = 40): string[] {
  return Array.from({ length: n }, (_, i) => `${siteOrigin}/api/sso/${i + 1}/callback`);
}

/** The person's links, read from the table. */
export async function linksOf(ctx: AppContext, personId: number) {
  return ctx.db.selectFrom('sso_link').selectAll().where('person_id', '=', personId).execute();
}
