/** Sign-in shapes shared by the server and the web app. */
import { z } from 'zod';
import { personStatuses } from './enums.js';

export const signInCodeBody = z.object({ email: z.string().max(1000) });
export const verifyCodeBody = z.object({ email: z.string().max(1000), code: z.string().max(100) });
export const signInLinkBody = z.object({ token: z.string().min(1).max(200) });

/** The answer to "send me a code": the same for every address. */
export const signInCodeAnswer = z.object({
  ok: z.literal(true),
  /** how long the code lives */
  expiresInSeconds: z.number().int(),
  /** how long before another code can be sent to the same address */
  resendAfterSeconds: z.number().int(),
});

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
