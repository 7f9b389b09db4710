/** Spreadsheet formula escaping for CSV exports (OWASP "CSV injection"). */

// = + - @ TAB CR NUL and their full-width forms (＝ ＋ － ＠) start a formula in some spreadsheet.
const dangerous = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The cell as text, with a leading ' when a spreadsheet would read it as a formula. */
export function escapeCsvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return typeof value === 'string' && dangerous.test(s) ? `'${s}` : s;
}
