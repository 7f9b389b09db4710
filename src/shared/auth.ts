/** Sign-in shapes shared by the server and the web app. */
import { z } from 'zod';
import { personStatuses } from './enums.js';

export const signInCodeBody = z.object({ email: z.string().max(1000) });
export const verifyCodeBody = z.object({ email: z.string().max(1000), code: z.string().max(100) });
export const signInLinkBody = z.object({ token: z.string().min(1).max(200) });

/**
 * What became of a code request. The send limits count every request for an address, whether or
 * not the site knows it, so none of these says anything about an account:
 * - `sent`: a new code is on its way;
 * - `sent_earlier`: this browser asked less than a minute ago; that code (already on its way) works;
 * - `sent_elsewhere`: another browser asked less than a minute ago; its code works only there;
 * - `hourly_limit`: the address has had its codes for this hour.
 */
export const codeDeliveries = ['sent', 'sent_earlier', 'sent_elsewhere', 'hourly_limit'] as const;
export type CodeDelivery = (typeof codeDeliveries)[number];

/** The answer to "send me a code": the same for every address. */
export const signInCodeAnswer = z.object({
  ok: z.literal(true),
  delivery: z.enum(codeDeliveries),
  /** how long the code lives */
  expiresInSeconds: z.number().int(),
  /** how long before another code can be sent to the same address (from now) */
  resendAfterSeconds: z.number().int(),
});
export type SignInCodeAnswerBody = z.infer<typeof signInCodeAnswer>;

/** The signed-in person as the web app sees them (`GET /api/me`). */
export const meSchema = z.object({
  id: z.number().int(),
  email: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  status: z.enum(personStatuses),
  isAdmin: z.boolean(),
  memberType: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;

/**
 * Who is asking, for any visitor (`GET /api/session`): `me` is the signed-in person or null. The web
 * app asks this rather than `GET /api/me`, so a signed-out page logs no 401 in the browser.
 */
export const sessionAnswer = z.object({ me: meSchema.nullable() });
export type SessionAnswer = z.infer<typeof sessionAnswer>;

/** The answer to a sign-in (code or link): the person now signed in. */
export const signedInAnswer = z.object({ me: meSchema });
export type SignedInAnswer = z.infer<typeof signedInAnswer>;
