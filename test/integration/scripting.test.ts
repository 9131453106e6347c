// Scripts over real sockets: busy scripts with several clients (-BUSY for
// everyone else, SCRIPT KILL / FUNCTION KILL, UNKILLABLE once a script wrote,
// the script's client blocked until it ends and its pipelined commands after
// it, allow-busy commands meanwhile), atomicity, WATCH and MONITOR around
// scripts, and real clients: ioredis defineCommand/EVALSHA with a
// redlock-style lock and release script, and a rate limiter function.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, encodeCommand } from '../helpers/resp.js';

let s: SpinelHandle;
const clients: RawClient[] = [];
before(async () => {
  s = await startSpinel({ 'busy-reply-threshold': 50 });
});
after(async () => {
  for (const c of clients) c.close();
  await s.close();
});

async function conn(): Promise<RawClient> {
  const c = await RawClient.connect(s.port);
  clients.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BUSY = '-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n';
const BUSY_FN = '-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.\r\n';

/** Waits until `c` gets -BUSY for PING (the script timed out). */
async function waitBusy(c: RawClient, expect = BUSY): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await c.call('PING');
    if (r !== '+PONG\r\n') {
      assert.equal(r, expect);
      return;
    }
    await sleep(10);
  }
  assert.fail('the script never became busy');
}

test('a looping script: other clients get -BUSY, SCRIPT KILL stops it, its client gets the error, then its pipelined command', async () => {
  const a = await conn();
  const b = await conn();
  const reply = a.raw(Buffer.concat([encodeCommand(['EVAL', 'while true do end', 0]), encodeCommand(['PING'])]), 2);
  await waitBusy(b);
  assert.equal(await b.call('GET', 'x'), BUSY);
  assert.equal(await b.call('FUNCTION', 'KILL'), BUSY);
  // allow-busy commands still run.
  assert.match(await b.call('FUNCTION', 'STATS'), /^-BUSY/);
  // SHUTDOWN is allowed while busy, but only with NOSAVE.
  assert.equal(await b.call('SHUTDOWN'), BUSY);
  assert.equal(await b.call('SCRIPT', 'KILL'), '+OK\r\n');
  const [killed, pong] = await reply;
  assert.match(killed, /^-ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.\r\n$/);
  assert.equal(pong, '+PONG\r\n');
  assert.equal(await b.call('PING'), '+PONG\r\n');
  assert.equal(await b.call('SCRIPT', 'KILL'), '-NOTBUSY No scripts in execution right now.\r\n');
});

test('SCRIPT KILL even when the script uses pcall', async () => {
  const a = await conn();
  const b = await conn();
  const reply = a.call('EVAL', "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", 0);
  await waitBusy(b);
  assert.equal(await b.call('SCRIPT', 'KILL'), '+OK\r\n');
  assert.match(await reply, /killed by user/);
});

test('a script that wrote cannot be killed; it ends on its own and its writes are atomic', async () => {
  const a = await conn();
  const b = await conn();
  await b.call('DEL', 'ctr', 'log');
  // Writes, then spins for a while (TIME is frozen inside scripts, so a count of iterations).
  const reply = a.call(
    'EVAL',
    "redis.call('set', 'ctr', 1); local n = 0; for i = 1, 3e7 do n = n + i end; redis.call('rpush', 'log', 'end'); return redis.call('incr', 'ctr')",
    0,
  );
  await waitBusy(b);
  assert.match(await b.call('SCRIPT', 'KILL'), /^-UNKILLABLE Sorry the script already executed write commands/);
  assert.equal(await b.call('SET', 'ctr', 100), BUSY);
  assert.equal(await reply, ':2\r\n');
  assert.equal(await b.call('GET', 'ctr'), '$1\r\n2\r\n');
  assert.equal(await b.call('LRANGE', 'log', 0, -1), '*1\r\n$3\r\nend\r\n');
});

test('functions: FUNCTION KILL, SCRIPT KILL refused with the function BUSY text, FUNCTION STATS shows the running one', async () => {
  const a = await conn();
  const b = await conn();
  await b.call('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=spin\nredis.register_function{function_name='spin', callback=function() while true do end end, flags={'no-writes'}}");
  const reply = a.call('FCALL', 'spin', 0);
  await waitBusy(b, BUSY_FN);
  assert.equal(await b.call('SCRIPT', 'KILL'), BUSY_FN);
  const stats = await b.call('FUNCTION', 'STATS');
  assert.match(stats, /running_script\r\n\*6\r\n\$4\r\nname\r\n\$4\r\nspin\r\n\$7\r\ncommand\r\n\*3\r\n\$5\r\nFCALL\r\n/);
  assert.equal(await b.call('FUNCTION', 'KILL'), '+OK\r\n');
  assert.match(await reply, /^-ERR Script killed by user with SCRIPT KILL\.\.\. script: spin, on @user_function:2\./);
});

test('a script that runs long but ends: the caller gets its reply, the stats count it once', async () => {
  const a = await conn();
  const b = await conn();
  await b.call('CONFIG', 'RESETSTAT');
  const reply = a.call('EVAL', 'local n = 0; for i = 1, 2e7 do n = n + 1 end; return n', 0);
  await waitBusy(b);
  assert.equal(await reply, ':20000000\r\n');
  const stats = await b.call('INFO', 'COMMANDSTATS');
  assert.match(stats, /cmdstat_eval:calls=1,/);
});

test('a script touching a WATCHed key makes EXEC fail; MULTI/EXEC runs EVAL inside', async () => {
  const a = await conn();
  const b = await conn();
  await a.call('SET', 'w', 1);
  await a.call('WATCH', 'w');
  await b.call('EVAL', "return redis.call('incr', KEYS[1])", 1, 'w');
  await a.call('MULTI');
  await a.call('EVAL', "return redis.call('incr', KEYS[1])", 1, 'w');
  assert.equal(await a.call('EXEC'), '*-1\r\n');
  await a.call('MULTI');
  await a.call('EVAL', "return redis.call('incr', KEYS[1])", 1, 'w');
  await a.call('EVAL', 'return {1, 2}', 0);
  assert.equal(await a.call('EXEC'), '*2\r\n:3\r\n*2\r\n:1\r\n:2\r\n');
});

test('MONITOR shows the script, then its commands from "lua"', async () => {
  const m = await conn();
  const a = await conn();
  assert.equal(await m.call('MONITOR'), '+OK\r\n');
  await a.call('EVAL', "redis.call('set', KEYS[1], ARGV[1]); return redis.call('get', KEYS[1])", 1, 'mk', 'mv');
  const l1 = await m.read();
  const l2 = await m.read();
  const l3 = await m.read();
  assert.match(l1, /^\+\d+\.\d+ \[0 127\.0\.0\.1:\d+\] "EVAL" /);
  assert.match(l2, /^\+\d+\.\d+ \[0 lua\] "set" "mk" "mv"\r\n$/);
  assert.match(l3, /^\+\d+\.\d+ \[0 lua\] "get" "mk"\r\n$/);
});

test('ioredis: defineCommand (EVALSHA, falling back to EVAL), a redlock-style lock and release', async () => {
  const r = new Redis({ port: s.port, lazyConnect: true });
  await r.connect();
  try {
    await r.script('FLUSH');
    r.defineCommand('releaseLock', {
      numberOfKeys: 1,
      lua: "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
    });
    const rl = r as unknown as { releaseLock(key: string, token: string): Promise<number> };
    assert.equal(await r.set('lock:res', 'token-1', 'PX', 10000, 'NX'), 'OK');
    assert.equal(await r.set('lock:res', 'token-2', 'PX', 10000, 'NX'), null);
    assert.equal(await rl.releaseLock('lock:res', 'token-2'), 0);
    assert.equal(await rl.releaseLock('lock:res', 'token-1'), 1);
    assert.equal(await r.exists('lock:res'), 0);
    // Second call goes by EVALSHA (the script is cached now).
    assert.equal(await rl.releaseLock('lock:res', 'token-1'), 0);
    const sha = (await r.script('LOAD', "return redis.call('incr', KEYS[1])")) as string;
    assert.equal(await r.evalsha(sha, 1, 'n'), 1);
    await assert.rejects(r.evalsha('f'.repeat(40), 0), /NOSCRIPT/);
    // A rate limiter as a function: INCR + EXPIRE, limit 3 per window.
    await r.function('LOAD', 'REPLACE', "#!lua name=rl\nredis.register_function('hit', function(k, a) local n = redis.call('incr', k[1]); if n == 1 then redis.call('expire', k[1], a[1]) end; return n <= tonumber(a[2]) and 1 or 0 end)");
    const hits = [];
    for (let i = 0; i < 5; i++) hits.push(await r.fcall('hit', 1, 'rl:user', 60, 3));
    assert.deepEqual(hits, [1, 1, 1, 0, 0]);
    assert.ok((await r.ttl('rl:user')) > 0);
  } finally {
    r.disconnect();
  }
});
