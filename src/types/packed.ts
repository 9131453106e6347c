// A packed sequence: a run of strings stored in one JS string, the compact
// form small collections use (Redis's listpack plays this part).
//
// Each entry is its length as a varint (7 bits per char, low bits first, a
// char >= 128 means more follow) and then its chars. Elements are latin1
// strings (one char per byte), and so are the length chars, so the packed
// string stays a one-byte V8 string: 16 bytes of header for the whole
// sequence plus 1 byte of overhead per short element, where an array of
// strings costs 8 bytes per slot and 16+ bytes per element string.
//
// Positions (`pos`) are char offsets of an entry's first length char. Reading
// an element makes a string (as decoding a listpack entry does in Redis);
// finding compares in place where it can (see charsAt).
// Every function that builds a new sequence returns it flattened: V8 keeps a
// concatenation as a rope (a cons string) until something reads its chars,
// and a rope of ropes would cost more than the arrays it replaces.

export type Packed = string;

export const EMPTY_PACKED: Packed = '';

/** The length chars of one entry of `len` chars. */
function header(len: number): string {
  if (len < 128) return String.fromCharCode(len);
  let h = '';
  while (len >= 128) {
    h += String.fromCharCode((len & 127) | 128);
    len = Math.floor(len / 128);
  }
  return h + String.fromCharCode(len);
}

/** One entry: header and chars. */
export function packEntry(s: string): string {
  return header(s.length) + s;
}

/** Packs the strings in order. */
export function pack(items: readonly string[]): Packed {
  let p = '';
  for (let i = 0; i < items.length; i++) p += packEntry(items[i]);
  return flat(p);
}

/** Makes V8 store `s` as one flat string (reading a char flattens a rope). */
export function flat(s: string): string {
  if (s.length > 0) s.charCodeAt(0);
  return s;
}

/** Length of the entry at `pos`. */
export function entryLength(p: Packed, pos: number): number {
  let c = p.charCodeAt(pos);
  if (c < 128) return c;
  let len = c & 127;
  let mul = 128;
  for (;;) {
    c = p.charCodeAt(++pos);
    if (c < 128) return len + c * mul;
    len += (c & 127) * mul;
    mul *= 128;
  }
}

/** Offset of the first char of the element of the entry at `pos`. */
export function entryData(p: Packed, pos: number): number {
  while (p.charCodeAt(pos) >= 128) pos++;
  return pos + 1;
}

/** Position of the entry after the one at `pos`. */
export function nextEntry(p: Packed, pos: number): number {
  const c = p.charCodeAt(pos);
  if (c < 128) return pos + 1 + c;
  return entryData(p, pos) + entryLength(p, pos);
}

/** The element of the entry at `pos`. */
export function entryAt(p: Packed, pos: number): string {
  const c = p.charCodeAt(pos);
  if (c < 128) return p.substring(pos + 1, pos + 1 + c);
  const d = entryData(p, pos);
  return p.substring(d, d + entryLength(p, pos));
}

// Comparing chars at an offset (measured on Node 20): a charCodeAt loop is
// fastest for a few chars (~4.5 ns a char here), a flat copy of up to 12
// chars compared with === next (a longer substring is a sliced string, slow
// to compare), and startsWith at an offset beyond that. A native indexOf
// from the offset is faster still for a hit, but a miss searches the rest of
// the string, so only indexOfEntry uses it, remembering where it found s.
const LOOP_MAX = 4;
const COPY_MAX = 12;

/** Whether `p` has the chars of `s` at offset `d` (s.length chars are there). */
export function charsAt(p: Packed, d: number, s: string): boolean {
  const n = s.length;
  if (n <= LOOP_MAX) {
    for (let j = 0; j < n; j++) if (p.charCodeAt(d + j) !== s.charCodeAt(j)) return false;
    return true;
  }
  if (n <= COPY_MAX) return p.substring(d, d + n) === s;
  return p.startsWith(s, d);
}

/**
 * Position of the first entry equal to `s`, looking at every `stride`-th
 * entry from the first (2 for the fields of field/value pairs), or -1.
 * Only entries of s's length and last char are compared; a long `s` is
 * searched for natively, and entries before where it occurs are passed over
 * (one search per lookup unless s also occurs inside other entries).
 */
export function indexOfEntry(p: Packed, s: string, stride = 1): number {
  const n = p.length;
  const sl = s.length;
  const last = sl === 0 ? 0 : s.charCodeAt(sl - 1);
  let at = -1; // a long s: where it next occurs at or after the current entry
  let pos = 0;
  while (pos < n) {
    let len = p.charCodeAt(pos);
    let d = pos + 1;
    if (len >= 128) {
      d = entryData(p, pos);
      len = entryLength(p, pos);
    }
    if (len === sl && (sl === 0 || p.charCodeAt(d + sl - 1) === last)) {
      if (sl <= COPY_MAX) {
        if (charsAt(p, d, s)) return pos;
      } else {
        if (at < d) {
          at = p.indexOf(s, d);
          if (at < 0) return -1;
        }
        if (at === d) return pos;
      }
    }
    pos = d + len;
    for (let k = 1; k < stride && pos < n; k++) pos = nextEntry(p, pos);
  }
  return -1;
}

/** Number of entries. */
export function entryCount(p: Packed): number {
  let n = 0;
  for (let pos = 0; pos < p.length; pos = nextEntry(p, pos)) n++;
  return n;
}

/** Position of the `index`-th entry (0-based); p.length if there are fewer. */
export function entryPosition(p: Packed, index: number): number {
  let pos = 0;
  while (index-- > 0 && pos < p.length) pos = nextEntry(p, pos);
  return pos;
}

/** All elements, in order. */
export function unpack(p: Packed): string[] {
  const out: string[] = [];
  for (let pos = 0; pos < p.length; pos = nextEntry(p, pos)) out.push(entryAt(p, pos));
  return out;
}

/** `p` with the chars [from, to) replaced by `packedEntries` (already packed). */
export function splice(p: Packed, from: number, to: number, packedEntries: string): Packed {
  if (from === 0 && to === p.length) return flat(packedEntries);
  return flat(p.substring(0, from) + packedEntries + p.substring(to));
}
