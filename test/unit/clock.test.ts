// The derived wall clock (monotonic + offset) must agree with the system
// clock, and direct reads must be installed on real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { monotonicMs, wallMs, wallMsAt, wallMicros, resyncWallClock } from '../../src/util/clock.js';
import { readDirect } from '../../src/server/socket-io.js';

test('derived wall clock stays within 2 ms of Date.now()', () => {
  resyncWallClock();
  for (let i = 0; i < 1000; i++) {
    const before = Date.now();
    const w = wallMs();
    const after = Date.now();
    assert.ok(Number.isInteger(w));
    assert.ok(w >= before - 2 && w <= after + 2, `${w} not within [${before}, ${after}] +- 2`);
  }
  const m = monotonicMs();
  assert.ok(Math.abs(wallMsAt(m) - Date.now()) <= 2);
  assert.ok(Math.abs(wallMicros() / 1000 - Date.now()) <= 2);
});

test('readDirect passes reads straight on and leaves end of stream to net', async () => {
  const buffer = Buffer.alloc(1024);
  const got: string[] = [];
  let direct = false;
  const ended = new Promise<void>((resolve) => {
    const server = net.createServer((accepted) => {
      const handle = (accepted as unknown as { _handle: unknown })._handle;
      const sock = new net.Socket({ handle, readable: true, writable: true, onread: { buffer, callback: () => got.push('net') } } as net.SocketConstructorOpts);
      direct = readDirect(sock, (n) => got.push(buffer.toString('latin1', 0, n)));
      sock.on('end', () => {
        sock.destroy();
        server.close();
        resolve();
      });
      sock.resume();
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      const client = net.connect(port, '127.0.0.1', () => {
        client.write('hello', () => setTimeout(() => client.end(), 50));
      });
    });
  });
  await ended;
  assert.ok(direct, 'direct reads not available on this Node');
  assert.deepEqual(got, ['hello']);
});
