// Deterministic randomness for the simulator: a seeded PRNG (mulberry32), a
// string hash, and id generators whose last 32 bits are an invertible
// permutation of the record's sequence number, so ids are unique by
// construction and can be mapped back to their record without an index.

/** mulberry32: tiny 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return next;
}

/** A 32-bit unsigned integer from a PRNG. */
export const u32 = (rng) => Math.floor(rng() * 4294967296) >>> 0;

/** Integer in [lo, hi] inclusive. */
export const int = (rng, lo, hi) => lo + Math.floor(rng() * (hi - lo + 1));

/** Pick an element. */
export const pick = (rng, arr) => arr[Math.floor(rng() * arr.length)];

/** FNV-1a over a string, finished with the murmur3 mixer. */
export function hash32(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix(h);
}

function fmix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Invertible 32-bit permutation ("lowbias32"). */
export function perm32(x) {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Inverse of perm32. */
export function unperm32(x) {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x43021123);
  x ^= (x >>> 15) ^ (x >>> 30);
  x = Math.imul(x, 0x1d69e2a5);
  x ^= x >>> 16;
  return x >>> 0;
}

/** PRNG for record `seq` of a kind identified by `salt`. */
export const recordRng = (salt, seq) => mulberry32(fmix((salt ^ Math.imul(seq + 1, 0x9e3779b1)) >>> 0));

const hex8 = (n) => (n >>> 0).toString(16).padStart(8, '0');

/** GUID for record `seq` of kind `salt`: 96 pseudo-random bits + permuted seq. */
export function uuidFor(salt, seq) {
  const r = recordRng(salt ^ 0x5bd1e995, seq);
  const a = u32(r), b = u32(r), c = u32(r);
  const tail = hex8(perm32((seq ^ salt) >>> 0));
  const bh = hex8(b), ch = hex8(c);
  return `${hex8(a)}-${bh.slice(0, 4)}-4${bh.slice(5, 8)}-${(8 + (c >>> 30)).toString(16)}${ch.slice(1, 4)}-${ch.slice(4, 8)}${tail}`;
}

/** 24-hex-digit id (MightyCall journal/contact style) for record `seq`. */
export function hex24For(salt, seq) {
  const r = recordRng(salt ^ 0x27d4eb2f, seq);
  return hex8(u32(r)) + hex8(u32(r)) + hex8(perm32((seq ^ salt) >>> 0));
}

/** Recover the sequence number from an id made by uuidFor/hex24For, or -1. */
export function seqFromId(id, salt, make) {
  if (typeof id !== 'string' || id.length < 8) return -1;
  const tail = parseInt(id.slice(-8), 16);
  if (!Number.isFinite(tail) || !/^[0-9a-f]{8}$/i.test(id.slice(-8))) return -1;
  const seq = (unperm32(tail) ^ salt) >>> 0;
  return make(salt, seq) === id.toLowerCase() ? seq : -1;
}

/** Random lowercase hex string of n digits from a PRNG. */
export function hexN(rng, n) {
  let s = '';
  while (s.length < n) s += hex8(u32(rng));
  return s.slice(0, n);
}
