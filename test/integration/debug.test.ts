// DEBUG gating (enable-debug-command), DEBUG SLEEP blocking the server,
// DEBUG SET-ACTIVE-EXPIRE, and COMMAND through a real connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

const DENIED =
  '-ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, ' +
  'otherwise you need to set this option in the configuration file, and then restart the server.\r\n';

test('enable-debug-command no: DEBUG is refused after the arity check and before authentication', async () => {
  const s = await startSpinel({ 'enable-debug-command': 'no', requirepass: 'pw' });
  try {
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('DEBUG'), "-ERR wrong number of arguments for 'debug' command\r\n");
    assert.equal(await c.call('DEBUG', 'HELP'), DENIED);
    assert.equal(await c.call('GET', 'x'), '-NOAUTH Authentication required.\r\n');
    assert.equal(await c.call('AUTH', 'pw'), '+OK\r\n');
    assert.equal(await c.call('DEBUG', 'SLEEP', '0'), DENIED);
    assert.equal(await c.call('DEBUG', 'nosuch'), DENIED);
    // LOLWUT and COMMAND are not protected.
    assert.match(await c.call('LOLWUT'), /Redis ver\. /);
    assert.match(await c.call('COMMAND', 'COUNT'), /^:\d+\r\n$/);
    // Refusals are rejected calls, like unknown commands: no command executed.
    const stats = s.server.commands.lookup('debug')!.stats;
    assert.equal(stats.calls, 0);
    assert.equal(stats.rejectedCalls, 4); // the arity error and three refusals
    c.close();
  } finally {
    await s.close();
  }
});

test('enable-debug-command local: allowed from the loopback interface', async () => {
  const s = await startSpinel({ 'enable-debug-command': 'local' });
  try {
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('DEBUG', 'SLEEP', '0'), '+OK\r\n');
    assert.equal(await c.call('DEBUG', 'DIGEST'), '+0000000000000000000000000000000000000000\r\n');
    c.close();
  } finally {
    await s.close();
  }
});

test('DEBUG SLEEP blocks the whole server', async () => {
  const s = await startSpinel({ 'enable-debug-command': 'yes' });
  try {
    const a = await RawClient.connect(s.port);
    const b = await RawClient.connect(s.port);
    assert.equal(await b.call('PING'), '+PONG\r\n');
    const t0 = Date.now();
    const sleeping = a.call('DEBUG', 'SLEEP', '0.3');
    await new Promise((r) => setTimeout(r, 50));
    // The other client's PING waits for the sleep to end.
    const pong = await b.call('PING');
    const waited = Date.now() - t0;
    assert.equal(pong, '+PONG\r\n');
    assert.equal(await sleeping, '+OK\r\n');
    assert.ok(waited >= 280, `PING answered after ${waited} ms`);
    a.close();
    b.close();
  } finally {
    await s.close();
  }
});

test('DEBUG SET-ACTIVE-EXPIRE 0 stops active expiry; 1 resumes it', async () => {
  const s = await startSpinel({ 'enable-debug-command': 'yes', hz: 100 });
  try {
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0'), '+OK\r\n');
    assert.equal(s.server.activeExpireEnabled, false);
    for (let i = 0; i < 20; i++) await c.call('SET', `k${i}`, 'v', 'PX', '20');
    await new Promise((r) => setTimeout(r, 300));
    // DBSIZE does not expire keys lazily: they are all still there.
    assert.equal(await c.call('DBSIZE'), ':20\r\n');
    assert.equal(await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1'), '+OK\r\n');
    assert.equal(s.server.activeExpireEnabled, true);
    let size = '';
    for (let i = 0; i < 50 && size !== ':0\r\n'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      size = await c.call('DBSIZE');
    }
    assert.equal(size, ':0\r\n');
    c.close();
  } finally {
    await s.close();
  }
});

test('DEBUG CHANGE-REPL-ID and QUICKLIST-PACKED-THRESHOLD change server state', async () => {
  const s = await startSpinel({ 'enable-debug-command': 'yes' });
  try {
    const c = await RawClient.connect(s.port);
    const before = s.server.replId;
    assert.equal(await c.call('DEBUG', 'CHANGE-REPL-ID'), '+OK\r\n');
    assert.notEqual(s.server.replId, before);
    assert.match(s.server.replId, /^[0-9a-f]{40}$/);
    assert.equal(s.server.replId2, '0'.repeat(40));
    assert.equal(await c.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1kb'), '+OK\r\n');
    assert.equal(s.server.quicklistPackedThreshold, 1024);
    assert.equal(await c.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'), '+OK\r\n');
    assert.equal(s.server.quicklistPackedThreshold, 1 << 30);
    c.close();
  } finally {
    await s.close();
  }
});

test('COMMAND with no arguments runs the container itself; COMMAND COUNT matches the table', async () => {
  const s = await startSpinel();
  try {
    const c = await RawClient.connect(s.port);
    const all = await c.value('COMMAND');
    assert.ok(Array.isArray(all));
    assert.equal((all as unknown[]).length, s.server.commands.byName.size);
    assert.equal(await c.call('COMMAND', 'COUNT'), `:${s.server.commands.byName.size}\r\n`);
    assert.equal(await c.call('COMMAND', 'NOSUCH'), "-ERR unknown subcommand 'NOSUCH'. Try COMMAND HELP.\r\n");
    c.close();
  } finally {
    await s.close();
  }
});

test('DEBUG PAUSE-CRON stops the periodic tasks (active expiry) until resumed', async () => {
  const s = await startSpinel({ 'enable-debug-command': 'yes', hz: 100 });
  try {
    const c = await RawClient.connect(s.port);
    assert.equal(await c.call('DEBUG', 'PAUSE-CRON', '1'), '+OK\r\n');
    for (let i = 0; i < 20; i++) await c.call('SET', `k${i}`, 'v', 'PX', '20');
    await new Promise((r) => setTimeout(r, 300));
    // DBSIZE does not expire keys lazily: only the cron's active expiry removes them.
    assert.equal(await c.call('DBSIZE'), ':20\r\n');
    assert.equal(await c.call('DEBUG', 'PAUSE-CRON', '0'), '+OK\r\n');
    let size = '';
    for (let i = 0; i < 100 && size !== ':0\r\n'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      size = await c.call('DBSIZE');
    }
    assert.equal(size, ':0\r\n');
    c.close();
  } finally {
    await s.close();
  }
});
