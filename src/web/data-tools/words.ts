/**
 * The words an admin reads for the data tools' codes: job types, statuses, outcomes, reasons and
 * kinds of ID. One place, so that the list, the wizard and the log say the same thing.
 */
import { dataJobReasonInWords, dataJobReasonWords } from '../../shared/data-job-words';
import type { DataJobStatus, DataJobType, KeyType } from '../../shared/enums';

export interface JobTypeWords {
  readonly label: string;
  /** for tables */
  readonly short: string;
  /** one sentence: what a job of this type does */
  readonly description: string;
  /** the columns the file needs, as the admin would name them */
  readonly columns: string;
}

export const jobTypeWords: Readonly<Record<DataJobType, JobTypeWords>> = {
  invite_to_community: {
    short: 'Invite to community',
    label: 'Invite members to community',
    description:
      'Invites each person to the community on the same row. Nobody is emailed: the invitations wait under Recommended Communities on their home screen, also for people who have not signed up yet.',
    columns:
      'Community ID, and a person’s Unique ID (recommended), Pre-verification ID or Profile ID — one community per row.',
  },
  preverify: {
    short: 'Pre-verify',
    label: 'Pre-verify members',
    description:
      'Adds people to the site as pre-verified, each with a personal invite URL, or updates the person who already has the same Unique ID (else the same email).',
    columns: 'Unique ID, First Name, Last Name, Email, Member Type (Email or Unique ID may be blank, not both).',
  },
  update_people: {
    short: 'Update',
    label: 'Update members',
    description:
      'Brings names, emails and member types up to date for people already on the site, found by their ID. A blank cell leaves that field as it is; nobody is added. Only a pre-verified person’s email is changed: people who have an account keep their own address.',
    columns:
      'A person’s Unique ID (recommended), Pre-verification ID or Profile ID, and any of First Name, Last Name, Email, Member Type.',
  },
  deactivate: {
    short: 'Deactivate',
    label: 'Deactivate members',
    description:
      'Makes each listed person inactive: they can no longer sign in, and their open invitations are closed.',
    columns: 'Unique ID.',
  },
  reactivate: {
    short: 'Reactivate',
    label: 'Reactivate members',
    description:
      'Makes each listed inactive person active again. Invitations closed when they were deactivated stay closed.',
    columns: 'Unique ID.',
  },
};

export const keyTypeWords: Readonly<Record<KeyType, string>> = {
  unique_id: 'Unique ID',
  preverification_id: 'Pre-verification ID',
  profile_id: 'Profile ID',
};

export const statusWords: Readonly<Record<DataJobStatus, { label: string; color: string }>> = {
  uploaded: { label: 'Needs mapping', color: 'gray' },
  mapped: { label: 'Ready to start', color: 'blue' },
  queued: { label: 'Waiting to run', color: 'blue' },
  running: { label: 'Running', color: 'blue' },
  completed: { label: 'Completed', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  canceled: { label: 'Canceled', color: 'orange' },
};

const outcomes: Readonly<Record<string, { label: string; color: string }>> = {
  invited: { label: 'Invited', color: 'green' },
  already_invited: { label: 'Already invited', color: 'blue' },
  already_member: { label: 'Already a member', color: 'blue' },
  created: { label: 'Pre-verified (new)', color: 'green' },
  updated: { label: 'Updated', color: 'teal' },
  unchanged: { label: 'Already up to date', color: 'blue' },
  deactivated: { label: 'Deactivated', color: 'green' },
  reactivated: { label: 'Reactivated', color: 'green' },
  already_inactive: { label: 'Already inactive', color: 'blue' },
  already_active: { label: 'Already active', color: 'blue' },
  skipped: { label: 'Skipped', color: 'red' },
};

/** Outcomes in reading order: what was done first, then what was already so, skipped last. */
export function byOutcomeOrder<T>(entries: readonly (readonly [string, T])[]): (readonly [string, T])[] {
  const order = Object.keys(outcomes);
  const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
  return [...entries].sort(([a], [b]) => rank(a) - rank(b));
}

/** "unknown_person" → "Unknown person ID"; a duplicate names its earlier row; an unknown code becomes a readable sentence. */
export function reasonLabel(reason: string | null | undefined, duplicateOf?: number | null): string {
  if (!reason) return '';
  if (reason === 'duplicate_row' && duplicateOf) return dataJobReasonInWords(reason, duplicateOf);
  return dataJobReasonWords[reason] ?? humanize(reason);
}

export function outcomeLabel(outcome: string): string {
  return outcomes[outcome]?.label ?? humanize(outcome);
}

export function outcomeColor(outcome: string): string {
  return outcomes[outcome]?.color ?? 'gray';
}

function humanize(code: string): string {
  const text = code.replace(/_/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const numberFormat = new Intl.NumberFormat('en-US');

/** 1234567 → "1,234,567" */
export function formatCount(value: number): string {
  return numberFormat.format(value);
}

/** seconds → "about 3 min", "12 s", "1 h 5 min" */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
