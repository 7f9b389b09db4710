/** The audit log as GET /api/admin/audit answers it. */
import { z } from 'zod';

export const auditQuerySchema = z.object({
  /** from the previous page's nextCursor */
  before: z
    .string()
    .regex(/^\d+:\d+$/)
    .optional(),
  targetType: z.string().max(30).optional(),
  targetId: z.string().max(30).optional(),
});

export const auditEventSchema = z.object({
  id: z.number().int(),
  actorId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** what the action changed, as it recorded it */
  details: z.unknown(),
  createdAt: z.number(),
});
export type AuditEvent = z.output<typeof auditEventSchema>;

export const auditPageSchema = z.object({
  items: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.output<typeof auditPageSchema>;
