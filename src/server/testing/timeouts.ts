/**
 * How long Vitest lets a test and a hook run (vitest.config.ts reads them from here), and so how
 * long `waitFor` waits by default. Longer than any of the product's own timeouts (an SMTP socket
 * waits 30 s), and generous on purpose: a loaded machine makes a test slower, and that must never
 * make it fail.
 */
export const testTimeoutMs = 120_000;
export const hookTimeoutMs = 120_000;
