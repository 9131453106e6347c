// npm run bench:memory — resident memory of Spinel and redis-server ($REDIS_SERVER, else on PATH) after
// loading the same data: 1,000,000 hash fields, set members, zset members and
// geo members in one large key each, 100,000 small keys of each type, a stream
// of 1,000,000 entries of three small fields, a 1 M-bit bitmap, 10,000 HLLs,
// and 1,000,000 string keys as redis-benchmark writes them (key:<12 digits> = xxx).
// Each scenario starts both servers fresh and reads VmRSS from /proc, and
// Redis's own used_memory_rss for reference.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** A reference program: $REDIS_SERVER (and the tools beside it) when set, else found on PATH. */
function redisTool(name) {
  const server = process.env.REDIS_SERVER;
  if (!server) return name;
  return name === 'redis-server' ? server : path.join(path.dirname(server), name);
}
const BIG = Number(process.env.MEM_BIG || 1000000);
const SMALL = Number(process.env.MEM_SMALL || 100000);

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const attempt = (n) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => resolve(s));
      s.once('error', () => (n > 0 ? setTimeout(() => attempt(n - 1), 50) : reject(new Error('no server'))));
    };
    attempt(200);
  });
}

function cmd(args) {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return out;
}

/** Sends commands pipelined in batches, counting replies by CRLF-terminated top-level lines (simple, integer and bulk replies). */
async function load(sock, commands) {
  let pending = 0;
  let buf = '';
  let resolveBatch;
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      if (buf[0] === '-') throw new Error(buf.slice(0, i));
      if (buf[0] === '$' && buf[1] !== '-') {
        // A bulk reply (XADD's ID): its header and data line.
        const j = buf.indexOf('\r\n', i + 2);
        if (j < 0) break;
        i = j;
      }
      buf = buf.slice(i + 2);
      pending--;
    }
    if (pending === 0 && resolveBatch) resolveBatch();
  });
  const BATCH = 1000;
  for (let i = 0; i < commands.length; i += BATCH) {
    const part = commands.slice(i, i + BATCH);
    pending += part.length;
    await new Promise((r) => {
      resolveBatch = r;
      sock.write(part.map(cmd).join(''));
    });
  }
  sock.removeAllListeners('data');
}

function rssKb(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(s)[1]);
}

function scenario(name) {
  const cmds = [];
  if (name === 'hash 1M fields') for (let i = 0; i < BIG; i += 100) cmds.push(['HSET', 'big', ...Array.from({ length: 100 }, (_, j) => [`field:${i + j}`, `v${i + j}`]).flat()]);
  if (name === 'set 1M members') for (let i = 0; i < BIG; i += 100) cmds.push(['SADD', 'big', ...Array.from({ length: 100 }, (_, j) => `member:${i + j}`)]);
  if (name === 'zset 1M members') for (let i = 0; i < BIG; i += 100) cmds.push(['ZADD', 'big', ...Array.from({ length: 100 }, (_, j) => [String(i + j), `member:${i + j}`]).flat()]);
  if (name === '100k small hashes') for (let i = 0; i < SMALL; i++) cmds.push(['HSET', `h:${i}`, 'a', '1', 'b', '2', 'c', '3']);
  if (name === '100k small sets') for (let i = 0; i < SMALL; i++) cmds.push(['SADD', `s:${i}`, 'a', 'b', 'c']);
  if (name === 'geo 1M members') {
    // Positions from a fixed LCG, uniform over the globe's geo range.
    let x = 11;
    const unit = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296;
    for (let i = 0; i < BIG; i += 100) cmds.push(['GEOADD', 'big', ...Array.from({ length: 100 }, (_, j) => [((unit() * 2 - 1) * 180).toFixed(6), ((unit() * 2 - 1) * 85).toFixed(6), `member:${i + j}`]).flat()]);
  }
  if (name === '100k small zsets') for (let i = 0; i < SMALL; i++) cmds.push(['ZADD', `z:${i}`, '1', 'a', '2', 'b', '3', 'c']);
  // Issue #15's memory table: streams, bitmaps, HyperLogLogs.
  if (name === 'stream 1M entries') for (let i = 0; i < BIG; i++) cmds.push(['XADD', 'big', '*', 'f1', String(i % 1000), 'f2', 'ab', 'f3', String(i)]);
  if (name === 'bitmap 1M bits') {
    cmds.push(['SETBIT', 'big', '999999', '1']);
    for (let i = 0; i < 10000; i++) cmds.push(['SETBIT', 'big', String((i * 7919) % 1000000), '1']);
  }
  if (name === '10k HLLs') for (let k = 0; k < 10000; k++) cmds.push(['PFADD', `hll:${k}`, ...Array.from({ length: 100 }, (_, i) => `e:${k}:${i}`)]);
  if (name === '1M strings') for (let i = 0; i < BIG; i += 100) cmds.push(['MSET', ...Array.from({ length: 100 }, (_, j) => [`key:${String(i + j).padStart(12, '0')}`, 'xxx']).flat()]);
  return cmds;
}

async function measure(kind, commands) {
  const port = await freePort();
  const child =
    kind === 'redis'
      ? spawn(redisTool('redis-server'), ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
      : spawn(path.join(root, 'bin/spinel-server'), ['--port', String(port), '--loglevel', 'warning'], { stdio: 'ignore' });
  try {
    const sock = await connect(port);
    const before = rssKb(child.pid);
    await load(sock, commands);
    if (kind === 'spinel') {
      // Let V8 settle: a short idle period lets incremental GC finish.
      await new Promise((r) => setTimeout(r, 1500));
    }
    const after = rssKb(child.pid);
    let usedRss = '';
    if (kind === 'redis') {
      const r = spawnSync(redisTool('redis-cli'), ['-p', String(port), 'INFO', 'memory'], { encoding: 'utf8' });
      usedRss = /used_memory_rss:(\d+)/.exec(r.stdout)?.[1] ?? '';
    }
    sock.destroy();
    return { before, after, usedRss: usedRss ? Math.round(Number(usedRss) / 1024) : null };
  } finally {
    child.kill('SIGKILL');
  }
}

// MEM_ONLY=geo (a comma-separated list of words) keeps the scenarios whose name contains one of them.
const only = (process.env.MEM_ONLY || '').split(',').filter(Boolean);
const names = ['hash 1M fields', 'set 1M members', 'zset 1M members', 'geo 1M members', '100k small hashes', '100k small sets', '100k small zsets', 'stream 1M entries', 'bitmap 1M bits', '10k HLLs', '1M strings'].filter((n) => only.length === 0 || only.some((w) => n.includes(w)));
console.log('| data | redis used_memory_rss | redis VmRSS (delta) | spinel VmRSS (delta) | ratio (delta) |');
console.log('|---|---|---|---|---|');
for (const n of names) {
  const commands = scenario(n).map((a) => a.map(String));
  const r = await measure('redis', commands);
  const s = await measure('spinel', commands);
  const mb = (kb) => (kb / 1024).toFixed(1) + ' MB';
  const rd = r.after - r.before;
  const sd = s.after - s.before;
  console.log(`| ${n} | ${mb(r.usedRss)} | ${mb(r.after)} (${mb(rd)}) | ${mb(s.after)} (${mb(sd)}) | ${(sd / rd).toFixed(2)} |`);
}
