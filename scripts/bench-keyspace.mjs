// In-process cost of GET or SET over a keyspace of N keys (random keys, 16
// commands per read like redis-benchmark -P 16), for one or more builds run
// round by round in alternating order in one process.
//
//   node --max-semi-space-size=4 scripts/bench-keyspace.mjs GET 100000 dist [/tmp/other/dist ...]
//
// The builds share one heap, so one build's garbage is collected partly during
// the other's rounds: for GC effects compare single-build runs (repeat them).
// Add --cpu-prof to profile a single build.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [cmd = 'GET', ksArg = '100000', ...builds] = process.argv.slice(2);
if (builds.length === 0) builds.push('dist');
const KS = Number(ksArg);
const P = 16;
const width = String(KS - 1).length;
const pad = (i) => String(i).padStart(width, '0');
const keyLen = 4 + width;
const one = (k) =>
  cmd.toUpperCase() === 'GET' ? `*2\r\n$3\r\nGET\r\n$${keyLen}\r\nkey:${k}\r\n` : `*3\r\n$3\r\nSET\r\n$${keyLen}\r\nkey:${k}\r\n$3\r\nxxx\r\n`;
const frames = [];
for (let f = 0; f < 2048; f++) {
  let s = '';
  for (let j = 0; j < P; j++) s += one(pad(Math.floor(Math.random() * KS)));
  frames.push(Buffer.from(s));
}
const runs = [];
for (const dir of builds) {
  const { Server } = await import(pathToFileURL(path.resolve(dir, 'src/server/server.js')).href + `?build=${runs.length}`);
  const server = new Server();
  server.log.silent = true;
  const client = server.createClient(null);
  for (let i = 0; i < KS; i++) {
    const b = Buffer.from(`*3\r\n$3\r\nSET\r\n$${keyLen}\r\nkey:${pad(i)}\r\n$3\r\nxxx\r\n`);
    client.onData(b, b.length);
    server.flushPending();
  }
  // Each build gets its own copy of the loop, so their type feedback stays apart.
  const loop = new Function(
    'server',
    'client',
    'frames',
    'buf',
    `for (let f = 0; f < frames.length; f++) {
      const fr = frames[f];
      fr.copy(buf);
      server.inInputHandler++;
      client.onData(buf, fr.length);
      server.inInputHandler--;
      server.flushPending();
      server.flushScheduled = true;
    }
    server.flushScheduled = false;`,
  );
  runs.push({ dir, server, client, loop, buf: Buffer.alloc(65536), times: [] });
}
for (let round = 0; round < 60; round++) {
  const order = runs.map((_, i) => i);
  if (round & 1) order.reverse();
  for (const i of order) {
    const r = runs[i];
    const t0 = performance.now();
    r.loop(r.server, r.client, frames, r.buf);
    // The first rounds are warm-up.
    if (round >= 10) r.times.push(((performance.now() - t0) * 1e6) / (frames.length * P));
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const r of runs) {
  console.log(`${cmd.toUpperCase()} over ${KS} keys, ${r.dir}: median ${median(r.times).toFixed(0)} ns/command, best ${Math.min(...r.times).toFixed(0)}`);
}
