// CLIENT subcommands over real connections: LIST, KILL, PAUSE, REPLY,
// NO-TOUCH, NO-EVICT, SETINFO.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, encodeCommand } from '../helpers/resp.js';
import { unpauseClients } from '../../src/commands/client.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lines(reply: string): string[] {
  const body = reply.slice(reply.indexOf('\r\n') + 2, -2);
  return body.split('\n').filter((l) => l !== '');
}

function field(line: string, name: string): string {
  const m = new RegExp(`(?:^| )${name}=(\\S*)`).exec(line);
  assert.ok(m, `${name} in ${line}`);
  return m[1];
}

async function idOf(c: RawClient): Promise<number> {
  return Number((await c.call('CLIENT', 'ID')).slice(1, -2));
}

test('CLIENT LIST: every client, names, db, flags, cmd; TYPE and ID filters', async () => {
  const a = await RawClient.connect(s.port);
  const b = await RawClient.connect(s.port);
  try {
    assert.equal(await a.call('CLIENT', 'SETNAME', 'alpha'), '+OK\r\n');
    assert.equal(await b.call('SELECT', '3'), '+OK\r\n');
    await b.call('CLIENT', 'NO-EVICT', 'on');
    await b.call('CLIENT', 'NO-TOUCH', 'on');
    const ida = await idOf(a);
    const idb = await idOf(b);
    const all = lines(await a.call('CLIENT', 'LIST'));
    const la = all.find((l) => l.startsWith(`id=${ida} `))!;
    const lb = all.find((l) => l.startsWith(`id=${idb} `))!;
    assert.equal(field(la, 'name'), 'alpha');
    assert.equal(field(la, 'cmd'), 'client|list');
    assert.equal(field(la, 'flags'), 'N');
    assert.equal(field(la, 'multi'), '-1');
    assert.equal(field(lb, 'db'), '3');
    assert.equal(field(lb, 'flags'), 'eT');
    assert.equal(field(lb, 'cmd'), 'client|id');
    assert.equal(field(la, 'addr').split(':')[0], '127.0.0.1');
    assert.equal(field(la, 'laddr'), `127.0.0.1:${s.port}`);
    assert.equal(lines(await a.call('CLIENT', 'LIST', 'TYPE', 'normal')).length, all.length);
    assert.equal(await a.call('CLIENT', 'LIST', 'TYPE', 'pubsub'), '$0\r\n\r\n');
    const byId = lines(await a.call('CLIENT', 'LIST', 'ID', String(idb), '999999', String(ida)));
    assert.deepEqual(byId.map((l) => Number(field(l, 'id'))), [idb, ida]);
    // CLIENT INFO is this client's line.
    const info = lines(await b.call('CLIENT', 'INFO'));
    assert.equal(info.length, 1);
    assert.equal(Number(field(info[0], 'id')), idb);
    assert.equal(field(info[0], 'cmd'), 'client|info');
    await b.call('CLIENT', 'NO-EVICT', 'off');
    await b.call('CLIENT', 'NO-TOUCH', 'off');
    assert.equal(field(lines(await b.call('CLIENT', 'INFO'))[0], 'flags'), 'N');
    assert.equal(await b.call('CLIENT', 'NO-TOUCH', 'maybe'), '-ERR syntax error\r\n');
    // cmd= names the last command even when it was rejected, NULL after an unknown one.
    await b.call('GET');
    assert.equal(field(lines(await a.call('CLIENT', 'LIST', 'ID', String(idb)))[0], 'cmd'), 'get');
    await b.call('NOSUCHCMD');
    assert.equal(field(lines(await a.call('CLIENT', 'LIST', 'ID', String(idb)))[0], 'cmd'), 'NULL');
  } finally {
    a.close();
    b.close();
  }
});

test('CLIENT SETINFO: lib-name and lib-ver in CLIENT INFO; invalid values', async () => {
  const c = await RawClient.connect(s.port);
  try {
    assert.equal(await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'redis-py'), '+OK\r\n');
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-ver', '5.0.1'), '+OK\r\n');
    const l = lines(await c.call('CLIENT', 'INFO'))[0];
    assert.match(l, / lib-name=redis-py lib-ver=5\.0\.1$/);
    assert.equal(await c.call('CLIENT', 'SETINFO', 'LIB-NAME', 'a b'), '-ERR LIB-NAME cannot contain spaces, newlines or special characters.\r\n');
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-foo', 'x'), "-ERR Unrecognized option 'lib-foo'\r\n");
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-name'), "-ERR wrong number of arguments for 'client|setinfo' command\r\n");
    assert.equal(await c.call('CLIENT', 'SETINFO', 'lib-name', ''), '+OK\r\n');
    assert.match(lines(await c.call('CLIENT', 'INFO'))[0], / lib-name= lib-ver=5\.0\.1$/);
  } finally {
    c.close();
  }
});

test('CLIENT KILL: old form, ADDR, ID, TYPE, USER, SKIPME', async () => {
  const me = await RawClient.connect(s.port);
  const v1 = await RawClient.connect(s.port);
  const v2 = await RawClient.connect(s.port);
  const v3 = await RawClient.connect(s.port);
  try {
    const addr1 = field(lines(await v1.call('CLIENT', 'INFO'))[0], 'addr');
    assert.equal(await me.call('CLIENT', 'KILL', addr1), '+OK\r\n');
    await v1.waitClose();
    assert.equal(await me.call('CLIENT', 'KILL', addr1), '-ERR No such client\r\n');
    const id2 = await idOf(v2);
    assert.equal(await me.call('CLIENT', 'KILL', 'ID', String(id2)), ':1\r\n');
    await v2.waitClose();
    const addr3 = field(lines(await v3.call('CLIENT', 'INFO'))[0], 'addr');
    assert.equal(await me.call('CLIENT', 'KILL', 'ADDR', addr3, 'TYPE', 'pubsub'), ':0\r\n');
    assert.equal(await me.call('CLIENT', 'KILL', 'ADDR', addr3, 'USER', 'default', 'TYPE', 'normal'), ':1\r\n');
    await v3.waitClose();
    // SKIPME yes (the default) spares the caller.
    assert.equal(await me.call('CLIENT', 'KILL', 'TYPE', 'normal'), ':0\r\n');
    assert.equal(await me.call('PING'), '+PONG\r\n');
    // SKIPME no: the caller gets the reply, then the connection closes.
    assert.equal(await me.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'no'), ':1\r\n');
    await me.waitClose();
  } finally {
    for (const c of [me, v1, v2, v3]) c.close();
  }
});

test('CLIENT PAUSE WRITE: reads go on, writes wait and run in order at UNPAUSE', async () => {
  const admin = await RawClient.connect(s.port);
  const w = await RawClient.connect(s.port);
  const r = await RawClient.connect(s.port);
  try {
    assert.equal(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
    let done = false;
    const p1 = w.call('SET', 'pk', '1').then((x) => ((done = true), x));
    const p2 = w.call('INCR', 'pk');
    assert.equal(await r.call('GET', 'pk'), '$-1\r\n');
    assert.equal(await r.call('PING'), '+PONG\r\n');
    await sleep(50);
    assert.equal(done, false);
    const info = await admin.call('INFO', 'clients');
    assert.match(info, /\r\nblocked_clients:1\r\n/);
    const wl = lines(await admin.call('CLIENT', 'LIST')).find((l) => field(l, 'flags').includes('b'));
    assert.ok(wl, 'the paused client shows flag b');
    assert.equal(field(wl, 'cmd'), 'set');
    assert.equal(field(wl, 'argv-mem'), '6');
    assert.equal(await admin.call('CLIENT', 'UNPAUSE'), '+OK\r\n');
    assert.equal(await p1, '+OK\r\n');
    assert.equal(await p2, ':2\r\n');
    assert.equal(await r.call('GET', 'pk'), '$1\r\n2\r\n');
    assert.match(await admin.call('INFO', 'clients'), /\r\nblocked_clients:0\r\n/);
  } finally {
    unpauseClients(s.server);
    for (const c of [admin, w, r]) c.close();
  }
});

test('CLIENT UNBLOCK ERROR drops a command held by CLIENT PAUSE (7.2 unblockClientOnError); TIMEOUT leaves it', async () => {
  const admin = await RawClient.connect(s.port);
  const a = await RawClient.connect(s.port);
  const b = await RawClient.connect(s.port);
  try {
    await admin.call('DEL', 'k');
    await admin.call('CONFIG', 'RESETSTAT');
    assert.equal(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
    const [ida, idb] = [await idOf(a), await idOf(b)];
    const ra = a.call('RPUSH', 'k', 'x');
    const rb = b.call('BLPOP', 'k', 0);
    // A command pipelined behind the held one runs once it is dropped (a read: the pause lets it through).
    const ra2 = a.call('LLEN', 'k');
    await sleep(50);
    assert.equal(await admin.call('CLIENT', 'UNBLOCK', ida, 'TIMEOUT'), ':0\r\n');
    assert.equal(await admin.call('CLIENT', 'UNBLOCK', ida, 'ERROR'), ':1\r\n');
    assert.equal(await ra, '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    assert.equal(await ra2, ':0\r\n');
    assert.equal(await admin.call('CLIENT', 'UNBLOCK', idb, 'ERROR'), ':1\r\n');
    assert.equal(await rb, '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    assert.equal(await admin.call('CLIENT', 'UNBLOCK', idb, 'ERROR'), ':0\r\n');
    assert.match(await admin.call('INFO', 'clients'), /\r\nblocked_clients:0\r\n/);
    assert.equal(await admin.call('CLIENT', 'UNPAUSE'), '+OK\r\n');
    await sleep(20);
    assert.equal(await admin.call('LLEN', 'k'), ':0\r\n');
    const stats = await admin.call('INFO', 'commandstats');
    assert.match(stats, /cmdstat_rpush:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1/);
    assert.match(stats, /cmdstat_blpop:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1/);
    assert.equal(await a.call('PING'), '+PONG\r\n');
  } finally {
    unpauseClients(s.server);
    for (const c of [admin, a, b]) c.close();
  }
});

test('CLIENT LIST / INFO: idle and age are never negative', async () => {
  const c = await RawClient.connect(s.port);
  const other = await RawClient.connect(s.port);
  try {
    for (let i = 0; i < 50; i++) {
      const line = lines(await c.call('CLIENT', 'INFO'))[0];
      assert.equal(field(line, 'idle'), '0');
      assert.ok(Number(field(line, 'age')) >= 0);
    }
    // A last interaction read from a clock a fraction of a millisecond ahead (the wall clock and the
    // keyspace's derived one drift apart by up to 1 ms between re-syncs) still shows idle=0, not -1.
    const id = await idOf(other);
    s.server.clients.get(id)!.lastInteraction = s.server.keyspace.now + 0.5;
    const line = lines(await c.call('CLIENT', 'LIST', 'ID', id))[0];
    assert.equal(field(line, 'idle'), '0');
  } finally {
    c.close();
    other.close();
  }
});

test('CLIENT PAUSE ALL holds every command until the timeout; pauses only extend', async () => {
  const admin = await RawClient.connect(s.port);
  const c = await RawClient.connect(s.port);
  try {
    assert.equal(await admin.call('CLIENT', 'PAUSE', '300', 'ALL'), '+OK\r\n');
    // A shorter WRITE pause does not shorten nor weaken the ALL pause.
    const t0 = Date.now();
    const pending = admin.call('CLIENT', 'PAUSE', '10', 'WRITE');
    assert.equal(await c.call('PING'), '+PONG\r\n');
    assert.ok(Date.now() - t0 >= 250, `PING waited ${Date.now() - t0} ms`);
    assert.equal(await pending, '+OK\r\n');
    // PAUSE 0 is no pause.
    assert.equal(await admin.call('CLIENT', 'PAUSE', '0'), '+OK\r\n');
    assert.equal(await c.call('SET', 'x', '1'), '+OK\r\n');
  } finally {
    unpauseClients(s.server);
    admin.close();
    c.close();
  }
});

test('CLIENT PAUSE also pauses key expiry: expired keys read as missing but stay until UNPAUSE', async () => {
  const admin = await RawClient.connect(s.port);
  try {
    const db = s.server.keyspace.dbs[0];
    assert.equal(await admin.call('SET', 'pexp', 'v', 'PX', '30'), '+OK\r\n');
    assert.equal(await admin.call('CLIENT', 'PAUSE', '100000', 'WRITE'), '+OK\r\n');
    await sleep(200);
    assert.equal(await admin.call('GET', 'pexp'), '$-1\r\n');
    assert.equal(db.dict.has('pexp'), true);
    assert.equal(await admin.call('CLIENT', 'UNPAUSE'), '+OK\r\n');
    assert.equal(await admin.call('GET', 'pexp'), '$-1\r\n');
    assert.equal(db.dict.has('pexp'), false);
  } finally {
    unpauseClients(s.server);
    admin.close();
  }
});

test('CLIENT REPLY OFF / ON / SKIP', async () => {
  const c = await RawClient.connect(s.port);
  try {
    // OFF: nothing comes back until ON (which replies +OK).
    c.socket.write(Buffer.concat([['CLIENT', 'REPLY', 'OFF'], ['SET', 'ro', '1'], ['GET', 'ro'], ['NOSUCH'], ['INCR', 'ro']].map(encodeCommand)));
    assert.equal(await c.call('CLIENT', 'REPLY', 'ON'), '+OK\r\n');
    assert.equal(await c.call('GET', 'ro'), '$1\r\n2\r\n');
    // SKIP: only the next command's reply is dropped.
    c.socket.write(Buffer.concat([['CLIENT', 'REPLY', 'SKIP'], ['INCR', 'ro']].map(encodeCommand)));
    assert.equal(await c.call('INCR', 'ro'), ':4\r\n');
    assert.equal(await c.call('PING'), '+PONG\r\n');
    assert.equal(await c.call('CLIENT', 'REPLY', 'bad'), '-ERR syntax error\r\n');
  } finally {
    c.close();
  }
});

test('CLIENT NO-TOUCH: reads do not refresh the key LRU clock, TOUCH still does', async () => {
  const c = await RawClient.connect(s.port);
  try {
    await c.call('SET', 'nt', 'v');
    const db = s.server.keyspace.dbs[0];
    const o = db.dict.get('nt')!;
    o.lru = 1; // as if last accessed long ago
    assert.equal(await c.call('CLIENT', 'NO-TOUCH', 'ON'), '+OK\r\n');
    assert.equal(await c.call('GET', 'nt'), '$1\r\nv\r\n');
    assert.equal(db.dict.get('nt')!.lru, 1);
    assert.equal(await c.call('CLIENT', 'NO-TOUCH', 'OFF'), '+OK\r\n');
    assert.equal(await c.call('GET', 'nt'), '$1\r\nv\r\n');
    assert.notEqual(db.dict.get('nt')!.lru, 1);
  } finally {
    c.close();
  }
});
