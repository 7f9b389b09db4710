/** A Data Tools log's reason codes in words: the job page and the downloaded log say the same. */
export const dataJobReasonWords: Readonly<Record<string, string>> = {
  unknown_person: 'Unknown person ID',
  unknown_community: 'Unknown Community ID',
  invalid_id: 'Value is not a valid ID',
  invalid_community_id: 'Community ID must be a whole number',
  duplicate_row: 'Duplicate row in the file',
  person_inactive: 'Person is inactive',
  person_pending: 'Person awaits site approval',
  missing_id_and_email: 'No Unique ID and no email',
  invalid_email: 'Not a valid email address',
  name_too_long: 'Name longer than 50 characters',
  unknown_member_type: 'Unknown member type',
  email_taken: 'Email belongs to another person',
  person_not_preverifiable: 'Person is already active, pending or inactive',
  person_admin: 'Person is a site admin (use the Members page)',
  person_not_inactive: 'Person is not inactive',
  email_kept: 'Email not changed: the person’s own address is kept',
};

/** A row's reason in words; a duplicate names the earlier row of the file it repeats. */
export function dataJobReasonInWords(reason: string, duplicateOf?: number | null): string {
  if (reason === 'duplicate_row' && duplicateOf) return `Duplicate of row ${duplicateOf}`;
  return dataJobReasonWords[reason] ?? reason;
}
