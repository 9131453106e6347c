// MONITOR: the feed of executed commands, one line per command.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

test('MONITOR streams every command with time, db and client address', async () => {
  const m = await RawClient.connect(s.port);
  const c = await RawClient.connect(s.port);
  try {
    assert.equal(await m.call('MONITOR'), '+OK\r\n');
    const caddr = (await c.call('CLIENT', 'INFO')).match(/ addr=(\S+)/)![1];
    assert.match(await m.read(), /\] "CLIENT" "INFO"\r\n$/);
    await c.call('SET', 'a', 'b c');
    const line = await m.read();
    const re = new RegExp(`^\\+(\\d+)\\.(\\d{6}) \\[0 ${caddr.replace(/\./g, '\\.')}\\] "SET" "a" "b c"\\r\\n$`);
    const mm = re.exec(line);
    assert.ok(mm, line);
    assert.ok(Math.abs(Number(mm[1]) - Date.now() / 1000) < 5);
    // Binary and quotes are escaped like sdscatrepr; the db follows SELECT.
    await c.call('SELECT', '2');
    assert.match(await m.read(), /\] "SELECT" "2"\r\n$/);
    await c.call('SET', 'k\x00"\n', '\xff');
    assert.match(await m.read(), /^\+\d+\.\d{6} \[2 [^\]]+\] "SET" "k\\x00\\"\\n" "\\xff"\r\n$/);
    // Admin commands are not shown; the next command is.
    await c.call('CONFIG', 'GET', 'port');
    await c.call('PING');
    assert.match(await m.read(), /\] "PING"\r\n$/);
    // The monitor shows in CLIENT LIST with flag O.
    const list = await c.call('CLIENT', 'LIST');
    assert.match(list, / flags=O /);
  } finally {
    m.close();
    c.close();
  }
});

test('MONITOR shows a blocking command once, when it is called, not again when it is served', async () => {
  const m = await RawClient.connect(s.port);
  const waiter = await RawClient.connect(s.port);
  const pusher = await RawClient.connect(s.port);
  try {
    assert.equal(await m.call('MONITOR'), '+OK\r\n');
    const served = waiter.call('BLPOP', 'monq', '0');
    assert.match(await m.read(), /\] "BLPOP" "monq" "0"\r\n$/);
    assert.equal(await pusher.call('RPUSH', 'monq', 'x'), ':1\r\n');
    assert.equal(await served, '*2\r\n$4\r\nmonq\r\n$1\r\nx\r\n');
    assert.match(await m.read(), /\] "RPUSH" "monq" "x"\r\n$/);
    // The next line is the next command, not the served BLPOP.
    await pusher.call('PING');
    assert.match(await m.read(), /\] "PING"\r\n$/);
  } finally {
    m.close();
    waiter.close();
    pusher.close();
  }
});

test('MONITOR client leaving stops the feed', async () => {
  const m = await RawClient.connect(s.port);
  const c = await RawClient.connect(s.port);
  try {
    assert.equal(await m.call('MONITOR'), '+OK\r\n');
    assert.equal(s.server.monitors.size, 1);
    m.close();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(s.server.monitors.size, 0);
    assert.equal(await c.call('PING'), '+PONG\r\n');
  } finally {
    c.close();
  }
});
