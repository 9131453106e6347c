// Glob-style pattern matching, an exact port of Redis's stringmatchlen()
// (util.c), used by KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE, CLIENT KILL and
// ACL key/channel patterns.
//
// Syntax: `*` any run of bytes, `?` one byte, `[abc]` a class, `[^a]` a
// negated class, `[a-z]` a range (ends may be given in either order), `\x`
// the byte x literally (also inside classes). Matching is byte-wise and
// case-sensitive unless `nocase`. Quirks kept on purpose, because clients can
// observe them:
// - an unclosed class (`[abc`) is a class running to the end of the pattern;
// - in a class, `a-` followed by any byte is a range (`[a-]` is the range
//   from `]` to `a`, and then the class is unclosed);
// - bytes compare as C `char`, which is signed: bytes >= 0x80 sort below
//   0x00 in ranges (`[\x00-\x7f]` does not contain 0x80, `[\x80-a]` contains
//   0x00..a and 0x80..0xff);
// - after a failed `*` expansion the rest of the pattern cannot match later
//   in the string either, so the whole match fails at once (Redis's
//   skipLongerMatches, which keeps `*a*a*a*...b` patterns linear);
// - nesting of `*` deeper than 1000 levels fails the match (Redis's guard
//   against abusive patterns).
//
// Strings are latin1 JS strings (one char per byte), so charCodeAt gives the byte.

/** Result flag shared down the recursion (skipLongerMatches in Redis). */
let skipLonger = false;

/** Byte as a C signed char. */
function sc(b: number): number {
  return b >= 128 ? b - 256 : b;
}

/** tolower() in the C locale: only A-Z change. Works on signed values too. */
function lower(b: number): number {
  return b >= 65 && b <= 90 ? b + 32 : b;
}

/**
 * True if `str` matches the glob `pattern` (Redis's stringmatchlen). `nocase`
 * folds ASCII letters.
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  // Fast path: '*' matches everything but the empty string (as stringmatchlen
  // does; KEYS and SCAN list the empty key because they skip matching for '*').
  if (pattern.length === 1 && pattern.charCodeAt(0) === 42 /* * */) return str.length !== 0;
  skipLonger = false;
  return matchImpl(pattern, 0, str, 0, nocase, 0);
}

/** Pattern byte at i, 0 past the end (the C code reads the NUL terminator there). */
function pat(p: string, i: number): number {
  return i < p.length ? p.charCodeAt(i) : 0;
}

function matchImpl(pattern: string, pi: number, str: string, si: number, nocase: boolean, nesting: number): boolean {
  if (nesting > 1000) return false;
  let plen = pattern.length - pi;
  let slen = str.length - si;
  while (plen > 0 && slen > 0) {
    const pc = pattern.charCodeAt(pi);
    switch (pc) {
      case 42: {
        // '*'
        while (plen > 1 && pattern.charCodeAt(pi + 1) === 42) {
          pi++;
          plen--;
        }
        if (plen === 1) return true;
        while (slen > 0) {
          if (matchImpl(pattern, pi + 1, str, si, nocase, nesting + 1)) return true;
          if (skipLonger) return false;
          si++;
          slen--;
        }
        skipLonger = true;
        return false;
      }
      case 63: // '?'
        si++;
        slen--;
        break;
      case 91: {
        // '['
        pi++;
        plen--;
        const not = pat(pattern, pi) === 94; /* ^ */
        if (not) {
          pi++;
          plen--;
        }
        let match = false;
        const s0 = str.charCodeAt(si);
        for (;;) {
          const c0 = pat(pattern, pi);
          if (c0 === 92 /* \ */ && plen >= 2) {
            pi++;
            plen--;
            if (pat(pattern, pi) === s0) match = true;
          } else if (c0 === 93 /* ] */) {
            break;
          } else if (plen <= 0) {
            pi--;
            plen++;
            break;
          } else if (plen >= 3 && pat(pattern, pi + 1) === 45 /* - */) {
            let start = sc(c0);
            let end = sc(pat(pattern, pi + 2));
            let c = sc(s0);
            if (start > end) {
              const t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            pi += 2;
            plen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (!nocase) {
            if (c0 === s0) match = true;
          } else if (lower(c0) === lower(s0)) {
            match = true;
          }
          pi++;
          plen--;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        slen--;
        break;
      }
      default: {
        // A literal byte; '\\' escapes the next one (or is itself, last in the pattern).
        if (pc === 92 /* \\ */ && plen >= 2) {
          pi++;
          plen--;
        }
        const c = pattern.charCodeAt(pi);
        const s = str.charCodeAt(si);
        if (!nocase) {
          if (c !== s) return false;
        } else if (lower(c) !== lower(s)) {
          return false;
        }
        si++;
        slen--;
        break;
      }
    }
    pi++;
    plen--;
    if (slen === 0) {
      while (plen > 0 && pattern.charCodeAt(pi) === 42) {
        pi++;
        plen--;
      }
      break;
    }
  }
  return plen === 0 && slen === 0;
}
