/** Extending an invitation: `POST /api/communities/:id/invitations/:personId/extend`. */
import { z } from 'zod';
import { maxSettingDays } from './site-settings.js';

export const extendInvitationSchema = z
  .object({
    /** days from now (null: never); the site's invitation expiry when absent */
    expiresInDays: z.number().int().min(1).max(maxSettingDays).nullable().optional(),
  })
  .strict();

export const extendedInvitationSchema = z.object({
  /** the new expiry (epoch ms); null: never */
  expiresAt: z.number().int().nullable(),
});
