// Malformed and unusual protocol input: Spinel must answer (and close) exactly
// as redis-server does, byte for byte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startPair, skipReason, type DiffPair } from '../helpers/differential.js';
import { splitForWire, seededRandom, type WireMode } from '../helpers/resp.js';

let pair: DiffPair | null = null;
before(async () => {
  pair = await startPair();
});
after(async () => {
  await pair?.close();
});

/**
 * Sends raw bytes on a fresh connection (whole, or cut as `wire` says);
 * collects everything until close or a quiet period.
 */
function exchange(port: number, input: Buffer | string, quietMs = 300, wire: WireMode = 'whole', seed = 1): Promise<{ out: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let out = Buffer.alloc(0);
    let timer: NodeJS.Timeout;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ out: out.toString('latin1'), closed });
    };
    const arm = () => {
      clearTimeout(timer);
      // After a protocol error the server closes the connection: wait for that
      // close longer than the quiet period, which a loaded machine can outlast.
      timer = setTimeout(() => finish(false), out.includes('Protocol error') ? Math.max(quietMs, 5000) : quietMs);
    };
    s.on('connect', async () => {
      const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
      for (const piece of splitForWire(bytes, wire, seededRandom(seed))) {
        if (s.destroyed) break;
        s.write(piece);
        await new Promise((r) => setImmediate(r));
      }
      arm();
    });
    s.on('data', (d) => {
      out = Buffer.concat([out, d]);
      arm();
    });
    s.on('close', () => finish(true));
    s.on('error', () => {});
  });
}

const CASES: [string, string | Buffer][] = [
  ['invalid multibulk length', '*abc\r\n'],
  ['negative multibulk is ignored', '*-1\r\nPING\r\n'],
  ['multibulk count over INT_MAX', '*4294967296\r\n'],
  ['expected $', '*1\r\n+PING\r\n'],
  ['invalid bulk length', '*1\r\n$abc\r\n'],
  ['negative bulk length', '*1\r\n$-1\r\n'],
  ['bulk length over proto-max-bulk-len', '*1\r\n$600000000\r\n'],
  ['unbalanced quotes', 'SET a "b\r\n'],
  ['closing quote followed by a char', 'ECHO "a"b\r\n'],
  ['inline with quotes and escapes', 'ECHO "a\\x41\\n" \'it\\\'s\'\r\nECHO \'x\'\r\n'],
  ['inline with only spaces then command', '   \r\nPING\r\n'],
  ['inline LF only', 'PING\nPING\n'],
  ['commands before a protocol error still run', 'PING\r\nECHO hi\r\n*1\r\n$x\r\n'],
  ['empty multibulk', '*0\r\nPING\r\n'],
  ['zero-length bulk command name', '*1\r\n$0\r\n\r\n'],
  ['unknown command with long args', `*3\r\n$3\r\nFOO\r\n$200\r\n${'a'.repeat(200)}\r\n$3\r\nbar\r\n`],
  ['unknown command with many args', 'FOO a b c d e f g h i j k l m n o p q r s t u v w x y z ' + 'long'.repeat(40) + '\r\n'],
  ['bulk without CRLF after payload', '*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n'],
  ['big mbulk count string without newline', '*' + '1'.repeat(70000)],
  ['too big inline request', 'A'.repeat(70 * 1024)],
  ['binary garbage inline', Buffer.from([0x00, 0x01, 0xff, 0x0d, 0x0a])],
  // Redis finds line ends with strchr: a NUL before the terminator means the line never ends.
  ['NUL inside an inline line', 'PI\x00NG\r\nPING\r\n'],
  ['NUL inside the multibulk count line', '*1\x00\r\n$4\r\nPING\r\n'],
  ['NUL inside a bulk length line', '*1\r\n$4\x00\r\nPING\r\n'],
  ['NUL inside a bulk is data', '*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n'],
  ['CR alone ends no inline line', 'PING\rPING\r\n'],
  ['many blank lines then a command', '\r\n'.repeat(20000) + 'PING\r\n'],
];

for (const [name, input] of CASES) {
  for (const wire of ['whole', 'bytes', 'random'] as const) {
    test(`protocol: ${name} (sent to Spinel ${wire === 'whole' ? 'whole' : wire === 'bytes' ? 'byte by byte' : 'at random cuts'})`, { skip: skipReason() }, async () => {
      const p = pair!;
      const [a, b] = await Promise.all([exchange(p.spinelServer.port, input, 300, wire, 11), exchange(p.redisServer.port, input)]);
      assert.equal(a.out, b.out, 'reply bytes');
      assert.equal(a.closed, b.closed, 'connection closed');
    });
  }
}

test('protocol: deep pipeline of 10000 commands', { skip: skipReason() }, async () => {
  const p = pair!;
  const input = '*1\r\n$4\r\nPING\r\n'.repeat(5000) + 'ECHO x\r\n'.repeat(5000);
  const [a, b] = await p.connectMore();
  const [ra, rb] = await Promise.all([a.raw(input, 10000), b.raw(input, 10000)]);
  assert.equal(ra.join(''), rb.join(''));
  a.close();
  b.close();
});

test('protocol: declared huge bulk, partial data, other clients unaffected and data kept', { skip: skipReason() }, async () => {
  const p = pair!;
  await p.check('SET', 'keep', 'me');
  const s = net.connect(p.spinelServer.port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  s.write('*2\r\n$3\r\nSET\r\n$400000000\r\n' + 'x'.repeat(1000));
  await new Promise((r) => setTimeout(r, 100));
  const used = process.memoryUsage().arrayBuffers;
  assert.ok(used < 200 * 1024 * 1024, `no allocation for the declared length (arrayBuffers ${used})`);
  await p.check('GET', 'keep');
  await p.check('PING');
  s.destroy();
});
