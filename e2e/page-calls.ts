/** Helpers the browser specs share: a JSON call from inside a page, and a sign-in email's code. */
import type { Page } from 'playwright-core';
import type { ReceivedEmail } from './harness';

/** The 6-digit code of a sign-in email. */
export function codeOf(mail: ReceivedEmail): string {
  const match = /\b(\d{6})\b/.exec(mail.text);
  if (!match) throw new Error(`No 6-digit code in: ${mail.text}`);
  return match[1];
}

/** A JSON call from inside the page (same origin, its cookies). */
export async function call<T>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const res = await fetch(u as string, {
        method: m as string,
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, json: await res.json().catch(() => null) };
    },
    [method, url, body] as const,
  ) as Promise<{ status: number; json: T }>;
}
