import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

test('PING, ECHO, inline and pipelined commands', async () => {
  const c = await RawClient.connect(s.port);
  assert.equal(await c.call('PING'), '+PONG\r\n');
  assert.equal(await c.call('PING', 'hi'), '$2\r\nhi\r\n');
  assert.equal(await c.call('ECHO', 'x\x00y'), '$3\r\nx\x00y\r\n');
  assert.deepEqual(await c.raw('PING\r\nECHO "a b"\r\n*1\r\n$4\r\nPING\r\n', 3), ['+PONG\r\n', '$3\r\na b\r\n', '+PONG\r\n']);
  c.close();
});

test('unknown command and arity errors', async () => {
  const c = await RawClient.connect(s.port);
  assert.equal(await c.call('NOPE', 'a', 'b'), "-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n");
  assert.equal(await c.call('ECHO'), "-ERR wrong number of arguments for 'echo' command\r\n");
  c.close();
});

test('protocol error replies then closes', async () => {
  const c = await RawClient.connect(s.port);
  assert.deepEqual(await c.raw('PING\r\n*1\r\n+x\r\n', 2), ['+PONG\r\n', "-ERR Protocol error: expected '$', got '+'\r\n"]);
  await c.waitClose();
  // The server is still fine for others.
  const d = await RawClient.connect(s.port);
  assert.equal(await d.call('PING'), '+PONG\r\n');
  d.close();
});

test('HELLO switches to RESP3 and validates', async () => {
  const c = await RawClient.connect(s.port);
  assert.equal(await c.call('HELLO', '4'), '-NOPROTO unsupported protocol version\r\n');
  assert.equal(await c.call('HELLO', 'x'), '-ERR Protocol version is not an integer or out of range\r\n');
  const r = await c.call('HELLO', '3');
  assert.match(r, /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/);
  assert.equal(await c.call('GET', 'nokey'), '_\r\n');
  c.close();
});
