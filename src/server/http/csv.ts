/** CSV cells for the exports (Members, the Data Tools job log): one formula escaping, one quoting. */

// = + - @ TAB CR NUL and their full-width forms (＝ ＋ － ＠) start a formula in some spreadsheet.
const formulaStart = /^[=+\-@\t\r\0\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * The cell as text, with a leading ' when a spreadsheet would read it as a formula (OWASP "CSV
 * injection"). Numbers stay as they are: -5 is a number, not a formula.
 */
export function escapeCsvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return typeof value === 'string' && formulaStart.test(s) ? `'${s}` : s;
}

/** One CSV cell: formula-escaped, quoted when it holds a comma, quote or line break (or edge spaces). */
export function csvCell(value: string | number | null | undefined): string {
  const s = escapeCsvCell(value);
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line, CRLF-terminated (RFC 4180). */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
