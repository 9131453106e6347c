// CONFIG GET / SET / RESETSTAT / HELP / REWRITE against the reference server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPair, skipReason, type DiffPair } from '../helpers/differential.js';
import { decode, RawClient, type RespValue } from '../helpers/resp.js';
import { freePort, redisServerPath } from '../helpers/servers.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

let pair: DiffPair | null = null;
const skip = skipReason();

before(async () => {
  // Same explicit settings on both sides (startRedis passes --bind 127.0.0.1 --save '' --appendonly no
  // --enable-debug-command yes).
  pair = await startPair({ save: [] });
  // Both in the same working directory (the reference runs in a private temp dir).
  if (pair) {
    const [, dir] = await pair.both('CONFIG', 'GET', 'dir');
    const path = (decode(Buffer.from(dir, 'latin1'))[0] as string[])[1];
    // dir is a protected config (CONFIG SET refuses it) and Spinel reports the process's cwd.
    process.chdir(path);
  }
});
/** Servers a test started as child processes; killed after the file's tests even when one timed out. */
const children = new Set<ChildProcess>();
after(async () => {
  for (const p of children) p.kill('SIGKILL');
  if (pair) {
    await pair.both('CONFIG', 'SET', 'port', String(pair.redisServer.port));
    await pair.close();
  }
});

function pairsOf(raw: string): Map<string, string> {
  const v = decode(Buffer.from(raw, 'latin1'))[0];
  const m = new Map<string, string>();
  if (v instanceof Map) {
    for (const [k, x] of v) m.set(String(k), String(x));
  } else {
    const a = v as RespValue[];
    for (let i = 0; i < a.length; i += 2) m.set(String(a[i]), String(a[i + 1]));
  }
  return m;
}

async function getBoth(...patterns: string[]): Promise<[Map<string, string>, Map<string, string>]> {
  const [a, b] = await pair!.both('CONFIG', 'GET', ...patterns);
  return [pairsOf(a), pairsOf(b)];
}

test('CONFIG GET * lists the same parameters as Redis, same values', { skip }, async () => {
  for (const resp of [2, 3] as const) {
    await pair!.resp(resp);
    const [s, r] = await getBoth('*');
    const sk = [...s.keys()].sort();
    const rk = [...r.keys()].sort();
    assert.deepEqual(sk, rk);
    for (const [k, v] of r) {
      if (k === 'port') continue;
      assert.equal(s.get(k), v, `value of ${k}`);
    }
    const [raw] = await pair!.both('CONFIG', 'GET', '*');
    assert.equal(raw[0], resp === 3 ? '%' : '*');
  }
  await pair!.resp(2);
});

test('CONFIG GET patterns, exact names, aliases, case, several at once', { skip }, async () => {
  const checks: string[][] = [
    ['maxmemory'],
    ['MAXMEMORY'],
    ['Port', 'maxmemory'].slice(1),
    ['slaveof'],
    ['hash-max-ziplist-*'],
    ['*max-*-entries*'],
    ['bind'],
    ['nosuch'],
    ['hz', 'hz', 'h?'],
    ['maxmemory*', 'maxmemory-policy', 'nosuch', 'save'],
    ['key-load-delay'],
    ['*load-delay*'],
    ['[ab]ppend*'],
    ['lua-time-limit'],
    ['client-output-buffer-limit', 'oom-score-adj-values', 'latency-tracking-info-percentiles', 'notify-keyspace-events'],
    ['TIMEOUT'],
    ['hz', 'HZ'],
    ['HZ', '*z'],
    ['slaveof', 'replicaof', 'repl*of'],
  ];
  for (const pats of checks) {
    const [s, r] = await getBoth(...pats);
    assert.deepEqual([...s.entries()].sort(), [...r.entries()].sort(), pats.join(' '));
  }
  // Single-parameter replies have one order: exact bytes.
  await pair!.check('CONFIG', 'GET', 'maxmemory');
  await pair!.check('CONFIG', 'GET', 'Save');
  await pair!.check('CONFIG', 'GET', 'nosuch');
  await pair!.check('CONFIG', 'GET');
  await pair!.resp(3);
  await pair!.check('CONFIG', 'GET', 'timeout');
  await pair!.check('CONFIG', 'GET', 'nosuch');
  await pair!.resp(2);
});

test('CONFIG SET errors', { skip }, async () => {
  const cases: string[][] = [
    ['foo', 'bar'],
    ['daemonize', 'no'],
    ['DAEMONIZE', 'no'],
    ['unixsocketperm', '1'],
    ['dir', '/tmp'],
    ['dbfilename', 'x.rdb'],
    ['hz', '1', 'hz', '2'],
    ['hz', '1', 'HZ', '2'],
    ['hz', '1', 'foo', '2'],
    ['foo', '1', 'daemonize', 'no'],
    ['daemonize', 'no', 'foo', '1'],
    ['appendonly', 'maybe'],
    ['appendonly', ''],
    ['maxmemory', 'abc'],
    ['maxmemory', '-1'],
    ['maxmemory', '1.5gb'],
    ['hz', 'abc'],
    ['hz', '-1'],
    ['hz', '007'],
    ['hz', '+5'],
    ['hz', '99999999999999999999'],
    ['maxclients', '0'],
    ['maxclients', '-1'],
    ['port', '70000'],
    ['slowlog-log-slower-than', '-2'],
    ['maxmemory-clients', '200%'],
    ['maxmemory-clients', '-5'],
    ['maxmemory-clients', '5%%'],
    ['loglevel', 'foo'],
    ['maxmemory-policy', 'lru'],
    ['shutdown-on-sigterm', 'x'],
    ['shutdown-on-sigterm', 'now x'],
    ['save', '1'],
    ['save', 'abc 1'],
    ['save', '0 1'],
    ['save', '1 -1'],
    ['notify-keyspace-events', 'KEA!'],
    ['client-output-buffer-limit', 'foo 1 2 3'],
    ['client-output-buffer-limit', 'normal 1 2'],
    ['client-output-buffer-limit', 'normal x 2 3'],
    ['client-output-buffer-limit', 'master 1 2 3'],
    ['client-output-buffer-limit', 'normal 1 2 -3'],
    ['oom-score-adj-values', '1 2'],
    ['oom-score-adj-values', '1 2 x'],
    ['oom-score-adj-values', '1 2 3000'],
    ['latency-tracking-info-percentiles', 'a'],
    ['latency-tracking-info-percentiles', '50 200'],
    ['slave-read-only', 'maybe'],
    ['list-max-ziplist-size', 'x'],
    ['replicaof', 'no one'],
    ['active-defrag-cycle-min', '100'],
    ['hz', '1', 'maxmemory', 'x'],
    ['shutdown-on-sigterm', ''],
    ['oom-score-adj-values', ''],
    ['client-output-buffer-limit', ''],
    ['notify-keyspace-events', 'A m'],
    ['save', ' '],
    ['tls-port', '-1'],
  ];
  for (const c of cases) await pair!.check('CONFIG', 'SET', ...c);
  await pair!.check('CONFIG', 'GET', 'hz');
  await pair!.check('CONFIG', 'SET', 'port');
  await pair!.check('CONFIG', 'SET', 'port', '1', 'hz');
  await pair!.check('CONFIG', 'SET');
  await pair!.check('CONFIG');
  await pair!.check('CONFIG', 'NOSUCH');
});

test('CONFIG SET values read back as Redis formats them', { skip }, async () => {
  const sets: string[][] = [
    ['maxmemory', '1GB'],
    ['maxmemory', '5k'],
    ['maxmemory', '5kb'],
    ['maxmemory', '100mb'],
    ['maxmemory', ''],
    ['maxmemory', '7b'],
    ['maxmemory-clients', '10%'],
    ['maxmemory-clients', '1m'],
    ['appendonly', 'YES'],
    ['appendonly', 'no'],
    ['notify-keyspace-events', 'Egm'],
    ['notify-keyspace-events', 'KEA'],
    ['notify-keyspace-events', 'Kn'],
    ['notify-keyspace-events', 'g$lshzxetd'],
    ['notify-keyspace-events', ''],
    ['shutdown-on-sigterm', 'now nosave'],
    ['shutdown-on-sigterm', 'default'],
    ['shutdown-on-sigint', 'FORCE save'],
    ['oom-score-adj', 'relative'],
    ['oom-score-adj', 'absolute'],
    ['oom-score-adj-values', '10 5 3'],
    ['client-output-buffer-limit', 'normal 1mb 2mb 3'],
    ['client-output-buffer-limit', 'replica 1 2 3 pubsub 4gb 5k 6'],
    ['client-output-buffer-limit', 'slave 256mb 64mb 60 pubsub 32mb 8mb 60 normal 0 0 0'],
    ['latency-tracking-info-percentiles', '50.5 99.123456789 12'],
    ['latency-tracking-info-percentiles', ''],
    ['latency-tracking-info-percentiles', '50 99 99.9'],
    ['save', '900 1 300 10'],
    ['save', ''],
    ['list-max-ziplist-size', '5'],
    ['lua-time-limit', '7'],
    ['hash-max-listpack-value', '1kb'],
    ['loglevel', 'WARNING'],
    ['loglevel', 'notice'],
    ['maxmemory-policy', 'ALLKEYS-LRU'],
    ['requirepass', ''],
    ['proto-max-bulk-len', '2mb'],
    ['slowlog-log-slower-than', '-1'],
    ['slowlog-log-slower-than', '10000'],
    ['hz', '20', 'timeout', '5', 'maxmemory', '2gb'],
    // hz is capped to 1..500 (updateHZ), and INFO shows the capped value.
    ['hz', '0'],
    ['hz', '1000'],
    ['hz', '500'],
  ];
  for (const s of sets) {
    await pair!.check('CONFIG', 'SET', ...s);
    const names = s.filter((_, i) => i % 2 === 0);
    const [a, b] = await getBoth(...names);
    assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort(), s.join(' '));
  }
  await pair!.check('CONFIG', 'GET', 'list-max-listpack-size');
  await pair!.check('CONFIG', 'GET', 'busy-reply-threshold');
  await pair!.both('CONFIG', 'SET', 'hz', '100000');
  const hzLines = async (c: RawClient): Promise<string[]> =>
    String(await c.value('INFO', 'server'))
      .split('\r\n')
      .filter((l) => /^(configured_)?hz:/.test(l));
  assert.deepEqual(await hzLines(pair!.spinel), await hzLines(pair!.redis));
  // Restore what other tests rely on.
  await pair!.both('CONFIG', 'SET', 'hz', '10', 'timeout', '0', 'maxmemory', '0', 'maxmemory-clients', '0', 'save', '');
});

test('Parameters and values new in 7.2: loglevel nothing, locale-collate, set-max-listpack-*, cluster-announce-human-nodename', { skip }, async () => {
  await pair!.checkAll([
    ['CONFIG', 'SET', 'loglevel', 'nothing'],
    ['CONFIG', 'GET', 'loglevel'],
    ['CONFIG', 'SET', 'loglevel', 'notice'],
    ['CONFIG', 'GET', 'locale-collate'],
    ['CONFIG', 'GET', 'set-max-listpack-entries'],
    ['CONFIG', 'SET', 'set-max-listpack-value', '1kb'],
    ['CONFIG', 'GET', 'set-max-listpack-value'],
    ['CONFIG', 'SET', 'set-max-listpack-value', '64'],
    ['CONFIG', 'GET', 'cluster-announce-human-nodename'],
    ['CONFIG', 'SET', 'cluster-announce-human-nodename', 'node-a'],
    ['CONFIG', 'GET', 'cluster-announce-human-nodename'],
    ['CONFIG', 'SET', 'cluster-announce-human-nodename', ''],
    ['CONFIG', 'GET', 'cluster-preferred-endpoint-type'],
    ['CONFIG', 'SET', 'cluster-preferred-endpoint-type', 'unknown-endpoint'],
    ['CONFIG', 'GET', 'cluster-preferred-endpoint-type'],
    ['CONFIG', 'SET', 'cluster-preferred-endpoint-type', 'ip'],
  ]);
  assert.equal(await pair!.spinel.call('CONFIG', 'GET', 'loglevel'), '*2\r\n$8\r\nloglevel\r\n$6\r\nnotice\r\n');
  // Several matches come in hash-table order in Redis.
  const [s, r] = await getBoth('set-max-listpack-*');
  assert.deepEqual([...s.entries()].sort(), [...r.entries()].sort());
  assert.equal(s.size, 2);
});

test('CONFIG SET bind: failure restores the old listeners', { skip }, async () => {
  await pair!.check('CONFIG', 'SET', 'bind', '1.2.3.4');
  await pair!.check('CONFIG', 'SET', 'bind', '127.0.0.1  -::1');
  await pair!.check('CONFIG', 'GET', 'bind');
  assert.equal(await pair!.spinel.call('PING'), '+PONG\r\n');
  const [s2] = await pair!.connectMore();
  assert.equal(await s2.call('PING'), '+PONG\r\n');
  s2.close();
});

test('CONFIG RESETSTAT, HELP, REWRITE without a config file', { skip }, async () => {
  await pair!.check('CONFIG', 'RESETSTAT');
  await pair!.check('CONFIG', 'RESETSTAT', 'x');
  await pair!.check('CONFIG', 'HELP');
  await pair!.check('config', 'help');
  await pair!.check('CONFIG', 'REWRITE');
  await pair!.resp(3);
  await pair!.check('CONFIG', 'HELP');
  await pair!.resp(2);
});

async function connectRetry(port: number): Promise<RawClient> {
  for (let i = 0; ; i++) {
    try {
      return await RawClient.connect(port);
    } catch (e) {
      if (i > 200) throw e;
      await new Promise((r) => setTimeout(r, 40));
    }
  }
}

// The two servers are child processes: whatever happens, they are killed at
// the end, and the test fails (rather than hangs) after its timeout.
test('CONFIG REWRITE: same file as Redis (appended lines compared as a set)', { skip, timeout: 30_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-rewrite-'));
  const bin = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin', 'spinel-server');
  const body = [
    '# my comment',
    '',
    'save 900 1',
    'save 300 10',
    'maxmemory 100mb',
    'hz 10',
    'slave-read-only yes',
    'list-max-ziplist-size -2',
    'bind 127.0.0.1',
    'appendonly no',
    'timeout 3',
    'timeout 4',
    '',
  ].join('\n');
  const files: string[] = [];
  const procs: ChildProcess[] = [];
  const clients: RawClient[] = [];
  try {
    for (const [i, cmd] of [[0, redisServerPath()!], [1, bin]] as const) {
      const f = path.join(dir, `${i}.conf`);
      const port = await freePort();
      fs.writeFileSync(f, body + `port ${port}\n`);
      files.push(f);
      const args = [f];
      const child = spawn(cmd, args, { stdio: 'ignore', cwd: dir });
      children.add(child);
      procs.push(child);
      clients.push(await connectRetry(port));
    }
    const cmds = [
      ['CONFIG', 'SET', 'maxmemory', '2gb', 'timeout', '50', 'maxmemory-clients', '5%'],
      ['CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 2000 3', 'notify-keyspace-events', 'Ex'],
      ['CONFIG', 'SET', 'oom-score-adj-values', '1 2 3', 'save', '60 5', 'replica-read-only', 'no'],
      ['CONFIG', 'SET', 'requirepass', 'sekret', 'appendfsync', 'always', 'dbfilename', 'x y.rdb'],
      ['CONFIG', 'SET', 'dbfilename', 'x y.rdb'],
      // Written as the default user's password hash (already connected clients stay authenticated).
      ['CONFIG', 'SET', 'requirepass', 'sekret'],
    ];
    for (const c of cmds) {
      const [a, b] = await Promise.all(clients.map((x) => x.call(...c)));
      assert.equal(b, a, c.join(' '));
    }
    const [ra, rb] = await Promise.all(clients.map((x) => x.call('CONFIG', 'REWRITE')));
    assert.equal(rb, ra);
    assert.equal(ra, '+OK\r\n');
    const norm = (t: string) => t.split('\n').filter((l) => !/^(port|dir|pidfile) /.test(l));
    const [a, b] = files.map((f) => norm(fs.readFileSync(f, 'latin1')));
    const sig = a.indexOf('# Generated by CONFIG REWRITE');
    assert.ok(sig > 0);
    assert.deepEqual(b.slice(0, sig + 1), a.slice(0, sig + 1));
    assert.deepEqual(b.slice(sig + 1).sort(), a.slice(sig + 1).sort());
    assert.ok(a.some((l) => /^user default on sanitize-payload #[0-9a-f]{64} ~\* &\* \+@all$/.test(l)));
  } finally {
    for (const c of clients) c.close();
    for (const p of procs) {
      p.kill('SIGKILL');
      children.delete(p);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
