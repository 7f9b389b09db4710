/**
 * How long Vitest lets a test and a hook run (vitest.config.ts reads them from here), and so how
 * long `waitFor` waits by default. Generous on purpose: a loaded machine makes a test slower,
 * and that must never make it fail.
 */
export const testTimeoutMs = 30_000;
export const hookTimeoutMs = 60_000;
