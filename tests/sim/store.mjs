// Compact storage for large record sets: growable typed-array columns indexed
// by sequence number, and a time-sorted index of keys with range lookup.
// Records are materialized into JSON objects only when a page is served.

export class Columns {
  /** spec: { name: TypedArrayConstructor } */
  constructor(spec, capacity = 1024) {
    this.spec = spec;
    this.n = 0;
    this.cap = Math.max(16, capacity);
    for (const [name, Ctor] of Object.entries(spec)) this[name] = new Ctor(this.cap);
  }

  /** Reserve the next sequence number, growing the columns when needed. */
  push() {
    if (this.n === this.cap) {
      this.cap *= 2;
      for (const [name, Ctor] of Object.entries(this.spec)) {
        const grown = new Ctor(this.cap);
        grown.set(this[name]);
        this[name] = grown;
      }
    }
    return this.n++;
  }
}

/** Keys ordered by (time, key) ascending. */
export class TimeOrder {
  constructor(timeOf) {
    this.timeOf = timeOf;
    this.keys = [];
  }

  cmp(a, b) {
    return this.timeOf(a) - this.timeOf(b) || a - b;
  }

  /** Replace the contents with `keys`, sorted. */
  build(keys) {
    this.keys = keys.sort((a, b) => this.cmp(a, b));
  }

  insert(key) {
    let lo = 0, hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(this.keys[mid], key) < 0) lo = mid + 1; else hi = mid;
    }
    this.keys.splice(lo, 0, key);
  }

  remove(pred) {
    this.keys = this.keys.filter((k) => !pred(k));
  }

  /** First index whose time is >= t. */
  lowerBound(t) {
    let lo = 0, hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeOf(this.keys[mid]) < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Index range [i0, i1) of keys with from <= time <= to. */
  range(from = -Infinity, to = Infinity) {
    const i0 = this.lowerBound(from);
    let lo = i0, hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeOf(this.keys[mid]) <= to) lo = mid + 1; else hi = mid;
    }
    return [i0, lo];
  }

  /**
   * Walk keys in [from, to] (newest first unless `ascending`), keep those
   * passing `filter`, and return { total, page } where page holds the matches
   * numbered [skip, skip + take).
   */
  page({ from, to, ascending = false, filter = null, skip = 0, take = 10 }) {
    const [i0, i1] = this.range(from, to);
    const page = [];
    let total = 0;
    const visit = (k) => {
      if (filter && !filter(k)) return;
      if (total >= skip && page.length < take) page.push(k);
      total++;
    };
    if (ascending) for (let i = i0; i < i1; i++) visit(this.keys[i]);
    else for (let i = i1 - 1; i >= i0; i--) visit(this.keys[i]);
    return { total, page };
  }
}
