import type { KeyType, MembershipState, PersonStatus } from '../../../shared/enums.js';
import type { LookedUp, PackedRows, ResolvedRow } from './lookup.js';

export function parseId(text: string): number | null;
export function parseKey(raw: string, keyType: KeyType): string | number | null;
export function toResolvedRow(r: LookedUp, keyType: KeyType): ResolvedRow;
export function packRows(
  capacity: number,
  personStatuses: readonly PersonStatus[],
  membershipStates: readonly MembershipState[],
): Omit<PackedRows, 'first'> & { put(i: number, r: ResolvedRow): void; buffers(): ArrayBuffer[] };
