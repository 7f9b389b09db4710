import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv.js';

describe('CSV cells of the exports', () => {
  it('escapes cells a spreadsheet would read as a formula, full-width forms included', () => {
    for (const danger of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\0x', '＝1', '＋1', '－1', '＠x']) {
      expect(csvCell(danger).replace(/^"|"$/g, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('U-1')).toBe('U-1');
    expect(csvCell(-5)).toBe('-5');
  });

  it('quotes commas, quotes, line breaks and edge spaces', () => {
    expect(csvLine([1, 'a,b', 'say "hi"', 'two\nlines', ' x', null])).toBe(
      '1,"a,b","say ""hi""","two\nlines"," x",\r\n',
    );
  });
});
