/**
 * Which of `,` `;` and tab separates a CSV file's columns, read from its first lines: the
 * candidate found on every line (outside double quotes) the most times; a comma when none is.
 * Spreadsheets in many locales save "CSV" with semicolons, and "Text (tab-delimited)" with tabs.
 */
import { Readable } from 'node:stream';
import { csvDelimiters, type CsvDelimiter } from '../../../shared/data-jobs.js';

/** How much of the file's start the detection reads. */
const headBytes = 64 * 1024;
const headLines = 20;

/** The delimiter of the file whose first bytes are `head`. */
export function detectDelimiter(head: string): CsvDelimiter {
  const lines: string[] = [];
  let line = '';
  let inQuotes = false;
  for (const c of head.replace(/^\uFEFF/, '')) {
    if (c === '"') inQuotes = !inQuotes;
    if ((c === '\n' || c === '\r') && !inQuotes) {
      if (line.trim()) lines.push(line);
      line = '';
      if (lines.length >= headLines) break;
      continue;
    }
    if (!inQuotes) line += c;
  }
  if (line.trim() && lines.length < headLines) lines.push(line);
  let best: CsvDelimiter = ',';
  let bestScore = 0;
  for (const candidate of csvDelimiters) {
    const counts = lines.map((l) => l.split(candidate).length - 1);
    const score = counts.length ? Math.min(...counts) : 0;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Reads the start of `source` (up to 64 KB, or all of a shorter file) and returns it with a
 * stream that yields the whole file again, head first.
 */
export async function peekHead(source: Readable): Promise<{ head: string; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const taken: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < headBytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* taken;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head: Buffer.concat(taken).toString('utf8'), stream: Readable.from(all(), { objectMode: false }) };
}
