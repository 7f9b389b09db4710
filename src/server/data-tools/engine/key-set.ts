/**
 * A set of the keys a job has already decided (the duplicate_row check). A million-row job holds
 * a million keys: as integers they live in an open-addressing table of doubles (16 bytes a key
 * at worst, against ~50 for a Set of heap numbers); other keys fall back to a Set.
 */
export class KeySet {
  private table: Float64Array;
  private count = 0;
  private readonly others = new Set<string | number>();

  /**
   * `expected`: how many keys it will likely hold (a job's row count). Sized for them at once,
   * the table never grows; growing leaves each smaller table as garbage, and a million-row job's
   * tables add up to 16 MB of it.
   */
  constructor(expected = 0) {
    let length = 1 << 12;
    while (expected * 2 > length) length *= 2;
    this.table = new Float64Array(length).fill(Number.NaN);
  }

  get size(): number {
    return this.count + this.others.size;
  }

  has(key: number | string): boolean {
    if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 0) return this.others.has(key);
    return this.table[this.slot(this.table, key)] === key;
  }

  add(key: number | string): void {
    if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 0) {
      this.others.add(key);
      return;
    }
    const i = this.slot(this.table, key);
    if (this.table[i] === key) return;
    this.table[i] = key;
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
    const next = new Float64Array(old.length * 2).fill(Number.NaN);
    for (const key of old) if (!Number.isNaN(key)) next[this.slot(next, key)] = key;
    this.table = next;
  }
}
