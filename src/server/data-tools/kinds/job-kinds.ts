/** Job type → its rules. */
import type { DataJobType } from '../../../shared/enums.js';
import { inviteKind } from './invite/invite.kind.js';
import type { JobKind } from '../engine/job-kind.js';
import { deactivateKind, reactivateKind } from './person-status/person-status.kind.js';
import { preverifyKind } from './preverify/preverify.kind.js';
import { updatePeopleKind } from './update-people/update-people.kind.js';

export const jobKinds: Record<DataJobType, JobKind> = {
  invite_to_community: inviteKind,
  preverify: preverifyKind,
  update_people: updatePeopleKind,
  deactivate: deactivateKind,
  reactivate: reactivateKind,
};
