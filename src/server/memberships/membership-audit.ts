/** How the audit log names a membership: the target type and the (community, person) pair. */
export const membershipTargetType = 'membership' as const;

export function membershipAuditTarget(
  communityId: number,
  personId: number,
): { readonly targetType: typeof membershipTargetType; readonly targetId: string } {
  return { targetType: membershipTargetType, targetId: `${communityId}:${personId}` };
}
