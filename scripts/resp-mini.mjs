// Minimal RESP client for dev scripts (not used by the server).
import net from 'node:net';
export function parse(buf, pos) {
  const t = String.fromCharCode(buf[pos]);
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const line = buf.toString('latin1', pos + 1, nl);
  let p = nl + 2;
  switch (t) {
    case '+': return [{ t: 'simple', v: line }, p];
    case '-': return [{ t: 'error', v: line }, p];
    case ':': return [Number(line), p];
    case ',': return [{ t: 'double', v: line }, p];
    case '#': return [line === 't', p];
    case '_': return [null, p];
    case '(': return [{ t: 'big', v: line }, p];
    case '$': case '=': {
      const n = Number(line);
      if (n < 0) return [null, p];
      if (buf.length < p + n + 2) return null;
      return [buf.toString('latin1', p, p + n), p + n + 2];
    }
    case '*': case '~': case '%': case '>': case '|': {
      let n = Number(line);
      if (n < 0) return [null, p];
      if (t === '%' || t === '|') n *= 2;
      const arr = [];
      for (let i = 0; i < n; i++) { const r = parse(buf, p); if (!r) return null; arr.push(r[0]); p = r[1]; }
      if (t === '%') { const m = {}; for (let i = 0; i < arr.length; i += 2) m[arr[i]] = arr[i + 1]; return [m, p]; }
      return [arr, p];
    }
  }
  throw new Error('bad type ' + t);
}
export async function connect(port) {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((r, j) => { s.once('connect', r); s.once('error', j); });
  let buf = Buffer.alloc(0); const waiters = [];
  s.on('data', (d) => { buf = Buffer.concat([buf, d]); for (;;) { if (!waiters.length) break; const r = parse(buf, 0); if (!r) break; buf = buf.subarray(r[1]); waiters.shift()(r[0]); } });
  return {
    call(...args) {
      let out = '*' + args.length + '\r\n';
      for (const a of args) out += '$' + Buffer.byteLength(String(a)) + '\r\n' + a + '\r\n';
      s.write(out);
      return new Promise((r) => waiters.push(r));
    },
    close() { s.destroy(); },
  };
}
