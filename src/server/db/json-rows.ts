/**
 * A bulk statement's rows as JSON text (`[[1,2,"a"],[3,4,null]]`), written into one buffer that
 * grows and is reused statement after statement. The usual way — an array per row, then
 * JSON.stringify — keeps every row's array alive until the statement is built; in a
 * million-row job those arrays outlived young-generation collections and filled the old
 * generation with garbage between two full collections, which set the job's peak memory.
 * Here a row leaves nothing on V8's heap.
 *
 * SQLite reads the buffer as a blob parameter, `json_each(CAST(? AS TEXT))` (blob(), no copy);
 * json() gives a string (PostgreSQL's json parameters).
 */
export class JsonRows {
  private buf: Buffer;
  private len = 0;
  private rowCount = 0;
  /** values in the open row, or -1 outside one */
  private fields = -1;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
    this.clear();
  }

  /** rows written since the last clear() */
  get rows(): number {
    return this.rowCount;
  }

  /** Starts again with no rows (the buffer is kept). */
  clear(): this {
    this.len = 0;
    this.rowCount = 0;
    this.fields = -1;
    this.byte(0x5b); // [
    return this;
  }

  /** Opens a row: its values follow (int, text, null), then end(). */
  row(): this {
    if (this.fields !== -1) throw new Error('JsonRows: the previous row was not ended.');
    if (this.rowCount++) this.byte(0x2c); // ,
    this.byte(0x5b);
    this.fields = 0;
    return this;
  }

  end(): this {
    if (this.fields === -1) throw new Error('JsonRows: no row is open.');
    this.byte(0x5d); // ]
    this.fields = -1;
    return this;
  }

  /** A safe integer, written digit by digit (no string made for it). */
  int(n: number): this {
    if (!Number.isSafeInteger(n)) throw new Error(`JsonRows: ${n} is not a safe integer.`);
    this.separator();
    this.reserve(17);
    if (n < 0) {
      this.buf[this.len++] = 0x2d; // -
      n = -n;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    for (let i = this.len + digits - 1; i >= this.len; i--) {
      this.buf[i] = 0x30 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.len += digits;
    return this;
  }

  /** A text: printable ASCII is copied as it is, anything else goes through JSON.stringify. */
  text(s: string): this {
    this.separator();
    let plain = true;
    for (let i = 0; i < s.length && plain; i++) {
      const c = s.charCodeAt(i);
      plain = c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c;
    }
    if (plain) {
      this.reserve(s.length + 2);
      this.buf[this.len++] = 0x22;
      this.len += this.buf.write(s, this.len, 'latin1');
      this.buf[this.len++] = 0x22;
    } else {
      const quoted = JSON.stringify(s);
      this.reserve(Buffer.byteLength(quoted));
      this.len += this.buf.write(quoted, this.len, 'utf8');
    }
    return this;
  }

  null(): this {
    this.separator();
    this.reserve(4);
    this.len += this.buf.write('null', this.len, 'latin1');
    return this;
  }

  /** An integer, a text or null (undefined too), by its type. */
  value(v: number | string | null | undefined): this {
    if (v === null || v === undefined) return this.null();
    return typeof v === 'number' ? this.int(v) : this.text(v);
  }

  /** The rows as JSON in the buffer itself: valid until the next write or clear(). */
  blob(): Buffer {
    this.closeList();
    return this.buf.subarray(0, this.len + 1);
  }

  /** The rows as a JSON string. */
  json(): string {
    this.closeList();
    return this.buf.toString('utf8', 0, this.len + 1);
  }

  /** writes the list's closing bracket after the rows without counting it (more rows may follow) */
  private closeList(): void {
    if (this.fields !== -1) throw new Error('JsonRows: a row is still open.');
    this.reserve(1);
    this.buf[this.len] = 0x5d; // ]
  }

  private separator(): void {
    if (this.fields === -1) throw new Error('JsonRows: open a row first.');
    if (this.fields++) this.byte(0x2c);
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  private reserve(bytes: number): void {
    if (this.len + bytes + 1 <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + bytes + 1));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }
}
