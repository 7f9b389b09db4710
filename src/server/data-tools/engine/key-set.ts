/**
 * A set of the keys a job has already decided (the duplicate_row check), each with the row that
 * decided it first (the log's "duplicate of row N"). A million-row job holds a million keys: as
 * integers they live in an open-addressing table of doubles beside a table of row numbers (20
 * bytes a key at worst, against ~50 for a Set of heap numbers); other keys fall back to a Map.
 */
export class KeySet {
  private table: Float64Array;
  private rows: Uint32Array;
  private count = 0;
  private readonly others = new Map<string | number, number>();

  /**
   * `expected`: how many keys it will likely hold (a job's row count). Sized for them at once,
   * the table never grows; growing leaves each smaller table as garbage, and a million-row job's
   * tables add up to 16 MB of it.
   */
  constructor(expected = 0) {
    let length = 1 << 12;
    while (expected * 2 > length) length *= 2;
    this.table = new Float64Array(length).fill(Number.NaN);
    this.rows = new Uint32Array(length);
  }

  get size(): number {
    return this.count + this.others.size;
  }

  has(key: number | string): boolean {
    if (!isTableKey(key)) return this.others.has(key);
    return this.table[this.slot(this.table, key)] === key;
  }

  /** The row that added the key first (the lowest row number it was added with); undefined when absent. */
  firstRow(key: number | string): number | undefined {
    if (!isTableKey(key)) return this.others.get(key);
    const i = this.slot(this.table, key);
    return this.table[i] === key ? this.rows[i] : undefined;
  }

  /** Adds the key as decided by `row` (0 when unknown); a key added again keeps its lowest row. */
  add(key: number | string, row = 0): void {
    if (!isTableKey(key)) {
      const had = this.others.get(key);
      if (had === undefined || (row > 0 && (had === 0 || row < had))) this.others.set(key, row);
      return;
    }
    const i = this.slot(this.table, key);
    if (this.table[i] === key) {
      if (row > 0 && (this.rows[i] === 0 || row < this.rows[i])) this.rows[i] = row;
      return;
    }
    this.table[i] = key;
    this.rows[i] = row;
    if (++this.count * 2 > this.table.length) this.grow();
  }

  private slot(table: Float64Array, key: number): number {
    const mask = table.length - 1;
    // Mix the high and low 32 bits so (community << 32) + person keys spread out.
    let h = Math.imul((key % 4294967296) ^ Math.floor(key / 4294967296), 0x9e3779b1) >>> 0;
    h = (h ^ (h >>> 15)) & mask;
    while (!Number.isNaN(table[h]) && table[h] !== key) h = (h + 1) & mask;
    return h;
  }

  private grow(): void {
    const old = this.table;
    const oldRows = this.rows;
    const next = new Float64Array(old.length * 2).fill(Number.NaN);
    const nextRows = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i++) {
      const key = old[i];
      if (Number.isNaN(key)) continue;
      const j = this.slot(next, key);
      next[j] = key;
      nextRows[j] = oldRows[i];
    }
    this.table = next;
    this.rows = nextRows;
  }
}

function isTableKey(key: number | string): key is number {
  return typeof key === 'number' && Number.isSafeInteger(key) && key >= 0;
}
