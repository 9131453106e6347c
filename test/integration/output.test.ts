// Output path under pressure: replies larger than the kernel takes at once
// are queued on the socket handle (src/server/socket-io.ts) and must reach
// a slow reader intact and in order, without holding up other clients.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, encodeCommand } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

const SIZE = 4 * 1024 * 1024;

/** A value whose bytes tell their position, so a reordered or lost chunk shows. */
function bigValue(): Buffer {
  const b = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i += 4) b.writeUInt32LE(i, i);
  return b;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => resolve(sock));
    sock.once('error', reject);
  });
}

/** Reads until `total` bytes arrived (or the peer closed) and returns them. */
function readBytes(sock: net.Socket, total: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let have = 0;
    const done = () => resolve(Buffer.concat(parts));
    sock.on('data', (d: Buffer) => {
      parts.push(d);
      have += d.length;
      if (have >= total) done();
    });
    sock.once('close', done);
  });
}

test('big replies to a slow reader arrive whole and in order while others are served', async () => {
  const value = bigValue();
  const setter = await RawClient.connect(s.port);
  assert.equal(await setter.call('SET', 'big', value), '+OK\r\n');

  const reader = await connect(s.port);
  reader.pause();
  const n = 8;
  const cmds: Buffer[] = [];
  for (let i = 0; i < n; i++) cmds.push(encodeCommand(['GET', 'big']));
  cmds.push(encodeCommand(['PING']));
  reader.write(Buffer.concat(cmds));

  // While the reader does not read (its output is queued), others get answers.
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < 20; i++) assert.equal(await setter.call('INCR', 'counter'), `:${i + 1}\r\n`);

  const header = Buffer.from(`$${SIZE}\r\n`);
  const one = header.length + SIZE + 2;
  const got = readBytes(reader, n * one + 7);
  reader.resume();
  const all = await got;
  assert.equal(all.length, n * one + 7);
  for (let i = 0; i < n; i++) {
    const at = i * one;
    assert.ok(all.subarray(at, at + header.length).equals(header), `header of reply ${i}`);
    assert.ok(all.subarray(at + header.length, at + header.length + SIZE).equals(value), `payload of reply ${i}`);
    assert.equal(all.toString('latin1', at + one - 2, at + one), '\r\n');
  }
  assert.equal(all.toString('latin1', n * one), '+PONG\r\n');
  reader.destroy();
  setter.close();
});

test('a client that goes away with queued output does not disturb the server', async () => {
  const setter = await RawClient.connect(s.port);
  assert.equal(await setter.call('SET', 'big', bigValue()), '+OK\r\n');
  const before = Number(/connected_clients:(\d+)/.exec(await setter.call('INFO', 'clients'))![1]);
  const quitter = await connect(s.port);
  quitter.pause();
  const cmds: Buffer[] = [];
  for (let i = 0; i < 16; i++) cmds.push(encodeCommand(['GET', 'big']));
  quitter.write(Buffer.concat(cmds));
  await new Promise((r) => setTimeout(r, 200));
  quitter.destroy();
  for (let i = 0; i < 50; i++) {
    const info = await setter.call('INFO', 'clients');
    if (Number(/connected_clients:(\d+)/.exec(info)![1]) === before) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.match(await setter.call('INFO', 'clients'), new RegExp(`connected_clients:${before}\\r\\n`));
  assert.equal(await setter.call('PING'), '+PONG\r\n');
  setter.close();
});

test('QUIT after queued big replies delivers them all before closing', async () => {
  const setter = await RawClient.connect(s.port);
  const value = bigValue();
  assert.equal(await setter.call('SET', 'big', value), '+OK\r\n');
  setter.close();
  const c = await connect(s.port);
  c.pause();
  c.write(Buffer.concat([encodeCommand(['GET', 'big']), encodeCommand(['GET', 'big']), encodeCommand(['QUIT'])]));
  await new Promise((r) => setTimeout(r, 100));
  const got = readBytes(c, Number.MAX_SAFE_INTEGER);
  c.resume();
  const all = await got;
  const one = `$${SIZE}\r\n`.length + SIZE + 2;
  assert.equal(all.length, 2 * one + 5);
  assert.ok(all.subarray(one + `$${SIZE}\r\n`.length, 2 * one - 2).equals(value));
  assert.equal(all.toString('latin1', 2 * one), '+OK\r\n');
});
