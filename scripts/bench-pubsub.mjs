// npm run bench:pubsub — Pub/Sub fan-out and memory per subscription against
// the reference Redis, side by side (redis-benchmark has no subscribers; the
// tracked GET is in npm run bench, as get_tracking):
//
//   PUBLISH to a channel with 1, 100 and 1000 subscribers: one publisher
//     keeps PUBSUB_WINDOW PUBLISH commands in flight; the figure is messages
//     delivered per second as counted at the subscribers (every byte of
//     every message received), and each server's CPU µs per delivery (from
//     /proc: the load generator runs in this process and may be the limit of
//     both servers' rates; the CPU time is the servers' own).
//   Memory per subscription: INFO used_memory before and after 100,000
//     subscriptions (100 connections x 1,000 channels each, every channel
//     distinct, then 100 connections on the same 1,000 channels); for Spinel
//     also V8's heap per subscription measured in-process after a full
//     collection (used_memory counts garbage not yet collected).
//
// Settings (environment or flags): PUBSUB_ROUNDS (3: best of, alternating
// servers), PUBSUB_SUBS ("1,100,1000"), PUBSUB_DELIVERIES (messages x
// subscribers per run, 2000000), PUBSUB_WINDOW (64), PUBSUB_PIN (1: servers
// on CPU 1, this process on CPU 0). The reference is found as for npm run bench.
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { command, cpuTicks, findRedis, flagsToEnv, hasTaskset, infoField, median, sleep, startServer, stopServer, table, TICK_US, usage, root } from './bench-lib.mjs';

const SETTINGS = ['ROUNDS', 'SUBS', 'DELIVERIES', 'WINDOW', 'PIN', 'MEMORY_INPROCESS'];
if (flagsToEnv('PUBSUB', SETTINGS)) {
  console.log(usage(fileURLToPath(import.meta.url)));
  process.exit(0);
}
const env = process.env;

// In-process heap per subscription (run by the main script as a child with --expose-gc).
if (env.PUBSUB_MEMORY_INPROCESS === '1') {
  await inProcessMemory();
  process.exit(0);
}

const ROUNDS = Number(env.PUBSUB_ROUNDS || 3);
const SUBS = (env.PUBSUB_SUBS || '1,100,1000').split(',').map(Number);
const DELIVERIES = Number(env.PUBSUB_DELIVERIES || 2000000);
const WINDOW = Number(env.PUBSUB_WINDOW || 64);
const PIN = env.PUBSUB_PIN === '1' && hasTaskset;
if (PIN) spawnSync('taskset', ['-pc', '0', String(process.pid)]);
const redisBin = findRedis();

const enc = (...args) => `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves once `sock` has received `bytes` bytes in all (counted by a data listener it installs). */
function countBytes(sock) {
  const state = { n: 0, target: Infinity, done: null };
  sock.on('data', (d) => {
    state.n += d.length;
    if (state.n >= state.target && state.done) {
      const f = state.done;
      state.done = null;
      f();
    }
  });
  state.until = (target) =>
    new Promise((r) => {
      state.target = target;
      if (state.n >= target) r();
      else state.done = r;
    });
  return state;
}

/** One fan-out run: `subs` subscribers, messages so that messages x subs = DELIVERIES. */
async function fanout(server, subs) {
  const channel = 'bench-channel';
  const message = 'hello subscribers';
  const confirm = `*3\r\n$9\r\nsubscribe\r\n$${channel.length}\r\n${channel}\r\n:1\r\n`.length;
  const frame = `*3\r\n$7\r\nmessage\r\n$${channel.length}\r\n${channel}\r\n$${message.length}\r\n${message}\r\n`.length;
  const sockets = [];
  const counters = [];
  for (let i = 0; i < subs; i++) {
    const s = await connect(server.port);
    sockets.push(s);
    const c = countBytes(s);
    counters.push(c);
    s.write(enc('SUBSCRIBE', channel));
  }
  await Promise.all(counters.map((c) => c.until(confirm)));
  const messages = Math.max(1, Math.round(DELIVERIES / subs));
  const pub = await connect(server.port);
  const reply = `:${subs}\r\n`.length;
  const publish = Buffer.from(enc('PUBLISH', channel, message));
  let sent = 0;
  let acked = 0;
  let pending = 0;
  const allAcked = new Promise((resolve) => {
    pub.on('data', (d) => {
      pending += d.length;
      const n = Math.floor(pending / reply);
      pending -= n * reply;
      acked += n;
      if (acked === messages) resolve();
      else topUp();
    });
  });
  const topUp = () => {
    const k = Math.min(messages - sent, acked + WINDOW - sent);
    if (k > 0) {
      pub.write(k === 1 ? publish : Buffer.concat(Array(k).fill(publish)));
      sent += k;
    }
  };
  const cpu0 = cpuTicks(server.pid);
  const t0 = process.hrtime.bigint();
  topUp();
  await Promise.all([allAcked, ...counters.map((c) => c.until(confirm + messages * frame))]);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu1 = cpuTicks(server.pid);
  pub.destroy();
  for (const s of sockets) s.destroy();
  await sleep(200);
  const deliveries = messages * subs;
  return { rate: deliveries / secs, cpuUs: cpu0 === null || cpu1 === null ? null : ((cpu1 - cpu0) * TICK_US) / deliveries };
}

/** used_memory per subscription: 100 connections x 1000 channels, distinct, then shared. */
async function memory(server) {
  const out = {};
  for (const shared of [false, true]) {
    await sleep(300);
    const before = infoField(await command(server.port, 'INFO', 'memory'), 'used_memory');
    const sockets = [];
    for (let i = 0; i < 100; i++) {
      const s = await connect(server.port);
      sockets.push(s);
      const c = countBytes(s);
      const names = Array.from({ length: 1000 }, (_, j) => (shared ? `shared:${j}` : `ch:${i}:${j}`));
      s.write(enc('SUBSCRIBE', ...names));
      let expect = 0;
      for (let j = 0; j < 1000; j++) expect += `*3\r\n$9\r\nsubscribe\r\n$${names[j].length}\r\n${names[j]}\r\n:${j + 1}\r\n`.length;
      await c.until(expect);
    }
    await sleep(300);
    const after = infoField(await command(server.port, 'INFO', 'memory'), 'used_memory');
    out[shared ? 'shared' : 'distinct'] = (after - before) / 100000;
    for (const s of sockets) s.destroy();
    await sleep(500);
  }
  return out;
}

/** Spinel in this process: V8 heap per subscription after full collections (fake clients, no sockets). */
async function inProcessMemory() {
  const { Server } = await import(`${root}/dist/src/server/server.js`);
  const { Config } = await import(`${root}/dist/src/config/config.js`);
  const server = new Server(new Config());
  server.log.silent = true;
  const result = {};
  for (const shared of [false, true]) {
    const clients = [];
    for (let i = 0; i < 100; i++) clients.push(server.createClient(null));
    global.gc();
    const m0 = process.memoryUsage();
    for (let i = 0; i < 100; i++) {
      const c = clients[i];
      for (let j = 0; j < 1000; j++) {
        server.pubsub.subscribe(c, shared ? `shared:${j}` : `ch:${i}:${j}`, 0);
        c.reply.len = 0;
      }
    }
    global.gc();
    const m1 = process.memoryUsage();
    result[shared ? 'shared' : 'distinct'] = (m1.heapUsed - m0.heapUsed + m1.external - m0.external) / 100000;
    for (const c of clients) server.pubsub.dropClient(c);
  }
  console.log(JSON.stringify(result));
}

async function main() {
  const start = Date.now();
  const servers = {};
  for (const kind of ['redis', 'spinel']) servers[kind] = await startServer(kind, { redis: redisBin, cpu: PIN ? 1 : null });
  try {
    console.log(`Pub/Sub fan-out, best of ${ROUNDS} alternating rounds; redis-server ${redisBin.version} on :${servers.redis.port}, Spinel on :${servers.spinel.port}${PIN ? '; servers on CPU 1, load generator on CPU 0' : ''}\n`);
    const rows = [];
    const runRounds = async (name, fn) => {
      await fn(servers.redis);
      await fn(servers.spinel);
      const res = { redis: [], spinel: [] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const who of r % 2 === 0 ? ['redis', 'spinel'] : ['spinel', 'redis']) res[who].push(await fn(servers[who]));
      }
      const best = (xs) => xs.reduce((a, b) => (b.rate > a.rate ? b : a));
      const a = best(res.redis);
      const b = best(res.spinel);
      const ratios = res.redis.map((x, i) => res.spinel[i].rate / x.rate);
      const cpu = (xs) => median(xs.map((x) => x.cpuUs ?? NaN)).toFixed(2);
      rows.push([name, a.rate.toFixed(0), b.rate.toFixed(0), (b.rate / a.rate).toFixed(2), median(ratios).toFixed(2), `${cpu(res.redis)}/${cpu(res.spinel)}`]);
      console.error(`${name}: redis ${a.rate.toFixed(0)} spinel ${b.rate.toFixed(0)} (ratios ${ratios.map((x) => x.toFixed(2)).join(' ')})`);
    };
    for (const subs of SUBS) await runRounds(`PUBLISH, ${subs} subscriber${subs > 1 ? 's' : ''} (deliveries/s)`, (s) => fanout(s, subs));
    console.log(table(['test', 'redis', 'spinel', 'ratio', 'median ratio', 'redis/spinel cpu µs per delivery'], rows));
    const mem = { redis: await memory(servers.redis), spinel: await memory(servers.spinel) };
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { env: { ...env, PUBSUB_MEMORY_INPROCESS: '1' }, encoding: 'utf8' });
    const heap = child.status === 0 ? JSON.parse(child.stdout.trim()) : null;
    console.log('\nMemory per subscription (bytes): used_memory delta over 100,000 subscriptions of 100 connections');
    console.log(
      table(
        ['channels', 'redis used_memory', 'spinel used_memory', 'spinel V8 heap (in-process, after GC)'],
        ['distinct', 'shared'].map((k) => [k === 'distinct' ? '1 subscriber each' : '100 subscribers each', mem.redis[k].toFixed(0), mem.spinel[k].toFixed(0), heap ? heap[k].toFixed(0) : 'n/a']),
      ),
    );
  } finally {
    console.log(`\n(${((Date.now() - start) / 60000).toFixed(1)} min)`);
    for (const s of Object.values(servers)) await stopServer(s);
  }
}

main().catch((e) => {
  console.error(e.stack || e.message || e);
  process.exit(1);
});
