// Redis's sdssplitargs: a line split into arguments with "double quoted"
// (C escapes, \xHH) and 'single quoted' strings; null for unbalanced
// quotes or a closing quote followed by something other than a blank.
// Strings are latin1 bytes.

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** C's isspace. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\v' || c === '\f';
}

export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let p = 0;
  const n = line.length;
  for (;;) {
    while (p < n && isSpace(line[p])) p++;
    if (p >= n) return out;
    let inq = false;
    let insq = false;
    let current = '';
    for (;;) {
      const c = p < n ? line[p] : undefined;
      if (inq) {
        if (c === '\\' && line[p + 1] === 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
          current += String.fromCharCode(parseInt(line.slice(p + 2, p + 4), 16));
          p += 3;
        } else if (c === '\\' && p + 1 < n) {
          p++;
          const e = line[p];
          current += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          p++;
          break;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (insq) {
        if (c === '\\' && line[p + 1] === "'") {
          p++;
          current += "'";
        } else if (c === "'") {
          if (p + 1 < n && !isSpace(line[p + 1])) return null;
          p++;
          break;
        } else if (c === undefined) {
          return null;
        } else {
          current += c;
        }
      } else if (c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\0') {
        if (c !== undefined) p++;
        break;
      } else if (c === '"') {
        inq = true;
      } else if (c === "'") {
        insq = true;
      } else {
        current += c;
      }
      p++;
    }
    out.push(current);
  }
}

/** redis-cli's unquoteCString: exactly one quoted-or-plain argument, else null. */
export function unquoteCString(s: string): string | null {
  const a = splitArgs(s);
  return a !== null && a.length === 1 ? a[0] : null;
}
