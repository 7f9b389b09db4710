/**
 * Reads an uploaded CSV as it arrives: checks the bytes (magic numbers, binary, UTF-8), parses
 * records with csv-parse (BOM, CRLF/LF, double quotes) and hands them on in batches of JSON. Every
 * refusal is an AppError naming the line and the reason; nothing here touches the database.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type Readable, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { AppError } from '../../errors.js';
import type { CsvDelimiter } from '../../../shared/data-jobs.js';
import { detectDelimiter, peekHead } from './delimiter.js';
import { uploadLimits } from './limits.js';

export interface CsvReadLimits {
  readonly maxBytes: number;
  readonly maxRows: number;
}

export interface CsvReadOptions {
  /** the column separator; null: detected from the file's first lines */
  readonly delimiter: CsvDelimiter | null;
}

export interface CsvReadResult {
  /** the file's first record (the header when there is one) */
  readonly first: string[] | null;
  /** records after the first */
  readonly records: number;
  readonly bytes: number;
  readonly maxColumns: number;
  /** the column separator the file was read with */
  readonly delimiter: CsvDelimiter;
}

/** Consecutive records as one JSON array text (what staging sends to the database as is). */
export interface RecordBatch {
  readonly json: string;
  readonly count: number;
}

/**
 * A batch being filled: each record's JSON is written into one reused buffer as it arrives, so a
 * batch holds no object per record. (A batch's records kept as arrays lived long enough to
 * be promoted: a large upload left old-generation garbage for the next full collection, and the
 * job's peak RSS came after it.)
 */
class JsonBatch {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private length = 1;
  count = 0;

  constructor() {
    this.buffer[0] = 0x5b; // [
  }

  add(record: readonly string[]): void {
    const text = JSON.stringify(record);
    // At most 3 bytes per UTF-16 unit, and room for the comma and the closing bracket.
    const need = this.length + 2 + text.length * 3;
    if (need > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    if (this.count++) this.buffer[this.length++] = 0x2c; // ,
    this.length += this.buffer.write(text, this.length);
  }

  /** The batch so far, and an empty one after it. */
  take(): RecordBatch {
    this.buffer[this.length++] = 0x5d; // ]
    const batch = { json: this.buffer.toString('utf8', 0, this.length), count: this.count };
    this.length = 1;
    this.count = 0;
    return batch;
  }
}

export type CsvReason =
  | 'empty'
  | 'header_only'
  | 'unbalanced_quotes'
  | 'invalid_quotes'
  | 'binary'
  | 'not_utf8'
  | 'utf16'
  | 'xlsx'
  | 'gzip'
  | 'record_too_large'
  | 'too_many_columns';

export function csvInvalid(reason: CsvReason, line: number, message: string): AppError {
  return new AppError('csv_invalid', message, { line, reason });
}

/** C0 control bytes other than TAB, LF, VT, FF, CR: a text file never holds them. */
const binaryByte = new Uint8Array(256);
for (let b = 0; b < 32; b++) if (![9, 10, 11, 12, 13].includes(b)) binaryByte[b] = 1;

/** Length of an incomplete UTF-8 sequence at the end of `buf` (0–3 bytes), carried to the next chunk. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** The byte checks, as a pass-through stream that counts lines for the messages. */
class ByteChecker extends Transform {
  bytes = 0;
  /** newlines seen before the current chunk */
  private lines = 0;
  private head = Buffer.alloc(0);
  private carry = Buffer.alloc(0);
  /** inside a quoted value at the end of what was read, and the line where it opened */
  inQuotes = false;
  quoteLine = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  private lineAt(chunk: Buffer, offset: number): number {
    let n = this.lines + 1;
    for (let i = chunk.indexOf(10); i !== -1 && i < offset; i = chunk.indexOf(10, i + 1)) n++;
    return n;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.check(chunk);
      done(null, chunk);
    } catch (error) {
      done(error as Error);
    }
  }

  private check(chunk: Buffer): void {
    if (this.head.length < 4) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, 4)]).subarray(0, 4);
      checkMagic(this.head);
    }
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      throw new AppError('csv_too_large', `The file is larger than the limit of ${formatBytes(this.maxBytes)}.`, {
        limit: this.maxBytes,
      });
    }
    let line = this.lines + 1;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) line++;
      else if (b === 34) {
        // Quote parity: "" inside a quoted value toggles twice, so an odd count is an open quote.
        this.inQuotes = !this.inQuotes;
        if (this.inQuotes) this.quoteLine = line;
      } else if (binaryByte[b] === 1) {
        const what = b === 0 ? 'a NUL byte' : `a control byte (0x${b.toString(16).padStart(2, '0')})`;
        throw csvInvalid(
          'binary',
          line,
          `Line ${line} contains ${what}: this looks like a binary file, not a CSV text file.`,
        );
      }
    }
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const tail = incompleteTail(data);
    const whole = data.subarray(0, data.length - tail);
    if (!isUtf8(whole)) {
      const at = firstInvalidUtf8(whole) - this.carry.length;
      const line = this.lineAt(chunk, Math.max(0, at));
      throw csvInvalid(
        'not_utf8',
        line,
        `The file is not UTF-8 (line ${line} has bytes that are not UTF-8 text). Save it as "CSV UTF-8" and upload it again.`,
      );
    }
    this.carry = Buffer.from(data.subarray(data.length - tail));
    this.lines = line - 1;
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length) {
      const line = this.lines + 1;
      done(
        csvInvalid(
          'not_utf8',
          line,
          `The file is not UTF-8 (it ends in the middle of a character on line ${line}). Save it as "CSV UTF-8" and upload it again.`,
        ),
      );
      return;
    }
    done();
  }
}

function checkMagic(head: Buffer): void {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw csvInvalid(
      'xlsx',
      0,
      'This is an Excel workbook (or another ZIP file), not a CSV file. Open it and save it as CSV (CSV UTF-8), then upload that file.',
    );
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    throw csvInvalid('gzip', 0, 'This file is gzip-compressed. Uncompress it, save it as CSV, and upload that file.');
  }
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw csvInvalid('utf16', 1, 'This file is UTF-16 text, not UTF-8. Save it as "CSV UTF-8" and upload it again.');
  }
}

/** Offset of the first byte that breaks UTF-8 (only called once a chunk is known to be bad). */
function firstInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    const n = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 0;
    if (n === 0 || !isUtf8(buf.subarray(i, i + n))) return i;
    i += n;
  }
  return buf.length;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024
    ? `${Math.round(n / 1024 / 1024)} MB`
    : n >= 1024
      ? `${Math.round(n / 1024)} KB`
      : `${n} bytes`;
}

interface CsvParseError {
  code?: string;
  lines?: number;
}

function mapParseError(error: unknown, currentLine: number, openQuoteLine: number): unknown {
  const e = error as CsvParseError;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return csvInvalid(
        'unbalanced_quotes',
        openQuoteLine,
        `Line ${openQuoteLine}: a quoted value is opened but never closed (unbalanced double quotes).`,
      );
    case 'INVALID_OPENING_QUOTE': {
      const line = e.lines ?? currentLine;
      return csvInvalid(
        'invalid_quotes',
        line,
        `Line ${line}: a double quote inside a value that is not quoted. Quote the whole value and double the quote inside it ("").`,
      );
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE': {
      const line = e.lines ?? currentLine;
      return csvInvalid(
        'invalid_quotes',
        line,
        `Line ${line}: text follows a closing double quote. Quote the whole value and double any quote inside it ("").`,
      );
    }
    case 'CSV_MAX_RECORD_SIZE':
      return csvInvalid(
        'record_too_large',
        currentLine,
        `Line ${currentLine}: a record is longer than ${uploadLimits.maxRecordBytes / 1024} KB. This usually means a double quote opened on or before line ${currentLine} is never closed, so the rest of the file reads as one value: look for a stray " there, quote the whole value and double any quote inside it (""). If one value really is that long, shorten it.`,
      );
    default:
      return error;
  }
}

/**
 * Parses `source`, calling `onBatch` with consecutive records after the first (numbered from 2)
 * in batches, awaiting each. Throws AppError for every refusal; never stages anything itself.
 */
export async function readCsv(
  input: Readable,
  limits: CsvReadLimits,
  hasHeaderHint: () => boolean,
  onBatch: (firstRowNumber: number, records: RecordBatch) => Promise<void>,
  options: CsvReadOptions = { delimiter: null },
): Promise<CsvReadResult> {
  const checker = new ByteChecker(limits.maxBytes);
  let source = input;
  let delimiter = options.delimiter;
  if (delimiter === null) {
    const peeked = await peekHead(input);
    delimiter = detectDelimiter(peeked.head);
    source = peeked.stream;
  }
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: uploadLimits.maxRecordBytes,
  });
  let first: string[] | null = null;
  let records = 0;
  let maxColumns = 0;
  const batch = new JsonBatch();
  let batchStart = 2;
  const flush = async () => {
    if (!batch.count) return;
    const rows = batch.take();
    await onBatch(batchStart, rows);
    batchStart += rows.count;
  };
  // A line of separators and spaces only (",,," as spreadsheets save empty rows) holds no value.
  let sawValue = false;
  const take = (record: string[]) => {
    if (!sawValue && record.some((value) => value.trim() !== '')) sawValue = true;
    // Lines are not tracked per record (too costly for a million rows): a record's row number
    // is its line in every file without line breaks inside quoted values.
    const row = records + 2;
    if (record.length > uploadLimits.maxColumns) {
      throw csvInvalid(
        'too_many_columns',
        row - 1,
        `Row ${row - 1} has ${record.length} columns; at most ${uploadLimits.maxColumns} are accepted.`,
      );
    }
    if (record.length > maxColumns) maxColumns = record.length;
    if (first === null) {
      first = record;
      return;
    }
    records++;
    if (records + (hasHeaderHint() ? 0 : 1) > limits.maxRows) {
      throw new AppError(
        'csv_too_many_rows',
        `The file has more than ${limits.maxRows.toLocaleString('en')} rows, the limit (row ${row}).`,
        { limit: limits.maxRows, line: row },
      );
    }
    batch.add(record);
  };
  // Records arrive in groups (writev), each taken synchronously; only a full batch waits for
  // its staging. Iterating the parser with `for await` paid a promise per record (about a
  // seventh of the parse time for a million rows).
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 1024,
    writev(chunks, callback) {
      try {
        for (const { chunk } of chunks) take(chunk as string[]);
      } catch (error) {
        callback(error as Error);
        return;
      }
      if (batch.count >= uploadLimits.stagingBatch) flush().then(() => callback(), callback);
      else callback();
    },
    final(callback) {
      flush().then(() => callback(), callback);
    },
  });
  try {
    await pipeline(source, checker, parser, sink);
  } catch (error) {
    throw mapParseError(error, parser.info.lines, checker.quoteLine);
  }
  if (first === null || !sawValue) {
    throw csvInvalid(
      'empty',
      0,
      checker.bytes > 0 ? 'The file is empty: every line is blank or holds only separators.' : 'The file is empty.',
    );
  }
  return { first, records, bytes: checker.bytes, maxColumns, delimiter };
}
