// bin/spinel-server's heap size: 3/4 of the machine's memory (physical, or a
// smaller cgroup limit), at least maxmemory * 3/2 + 64 MB, and a
// --max-old-space-size in NODE_OPTIONS wins. The launcher runs against a fake
// /proc and /sys (SPINEL_LAUNCHER_ROOT) and prints the node command line
// (SPINEL_LAUNCHER_PRINT=1) instead of running it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { memtoull } from '../../src/config/values.js';

const BIN = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin', 'spinel-server');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-heap-size-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
let roots = 0;

/** A fake root with these files (path -> content). */
function root(files: Record<string, string>): string {
  const dir = path.join(TMP, `root${roots++}`);
  fs.mkdirSync(dir);
  for (const [p, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), body);
  }
  return dir;
}

function meminfo(bytes: number): Record<string, string> {
  return { 'proc/meminfo': `MemTotal:       ${bytes / 1024} kB\nMemFree:        1000 kB\n` };
}

/** The node command line the launcher would run. */
function command(fakeRoot: string, args: string[] = [], env: Record<string, string> = {}): string[] {
  const r = spawnSync(BIN, args, {
    encoding: 'utf8',
    cwd: TMP,
    env: { ...process.env, NODE_OPTIONS: '', SPINEL_LAUNCHER_PRINT: '1', SPINEL_LAUNCHER_ROOT: fakeRoot, ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, -1);
}

/** The --max-old-space-size the launcher passes (MB), or null. */
function heapMb(fakeRoot: string, args: string[] = [], env: Record<string, string> = {}): number | null {
  const flag = command(fakeRoot, args, env).find((a) => a.startsWith('--max-old-space-size='));
  return flag === undefined ? null : Number(flag.slice('--max-old-space-size='.length));
}

test('machine memory: 3/4 of MemTotal; nothing known: no flag (Node decides); a tiny machine gets 32 MB', () => {
  assert.equal(heapMb(root(meminfo(8 * GiB))), 6144);
  assert.equal(heapMb(root(meminfo(24683748 * 1024))), Math.floor((24683748 * 1024 * 3) / 4 / MiB));
  assert.equal(heapMb(root({ 'proc/version': 'x' })), null);
  assert.equal(heapMb(root(meminfo(20 * MiB))), 32);
});

test('the command line: node flags, main.js, then the arguments exactly as given', () => {
  const args = ['--port', '7000', '--save', '', 'a b', '-', '--version'];
  const cmd = command(root(meminfo(8 * GiB)), args);
  assert.deepEqual(cmd.slice(0, 3), ['node', '--max-semi-space-size=4', '--max-old-space-size=6144']);
  assert.match(cmd[3], /\/dist\/src\/server\/main\.js$/);
  assert.ok(fs.existsSync(cmd[3]), cmd[3]);
  assert.deepEqual(cmd.slice(4), args);
  // Through a symlink (npm's node_modules/.bin), main.js is found beside the real file.
  const link = path.join(TMP, 'spinel-link');
  fs.symlinkSync(BIN, link);
  const r = spawnSync(link, [], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', SPINEL_LAUNCHER_PRINT: '1' } });
  assert.equal(fs.realpathSync(r.stdout.split('\n').find((a) => a.endsWith('main.js'))!), fs.realpathSync(cmd[3]));
});

test('cgroup v2: the smallest memory.max of the process cgroup and its parents', () => {
  const base = { ...meminfo(8 * GiB), 'proc/self/cgroup': '0::/a/b\n' };
  assert.equal(heapMb(root({ ...base, 'sys/fs/cgroup/a/b/memory.max': `${2 * GiB}\n` })), 1536);
  assert.equal(heapMb(root({ ...base, 'sys/fs/cgroup/a/b/memory.max': `${2 * GiB}\n`, 'sys/fs/cgroup/a/memory.max': `${GiB}\n` })), 768);
  assert.equal(heapMb(root({ ...base, 'sys/fs/cgroup/a/b/memory.max': 'max\n', 'sys/fs/cgroup/a/memory.max': 'max\n' })), 6144);
  // Inside a cgroup namespace the container's own limit is at the root.
  assert.equal(heapMb(root({ ...meminfo(8 * GiB), 'proc/self/cgroup': '0::/\n', 'sys/fs/cgroup/memory.max': `${4 * GiB}\n` })), 3072);
  // A limit above the machine's memory does not raise it.
  assert.equal(heapMb(root({ ...base, 'sys/fs/cgroup/a/b/memory.max': `${64 * GiB}\n` })), 6144);
});

test('cgroup v1: memory.limit_in_bytes of the memory hierarchy; the "unlimited" value is no limit', () => {
  const base = { ...meminfo(8 * GiB), 'proc/self/cgroup': '5:cpu,cpuacct:/x\n4:memory:/x/y\n0::/\n' };
  assert.equal(heapMb(root({ ...base, 'sys/fs/cgroup/memory/x/y/memory.limit_in_bytes': `${GiB / 2}\n` })), 384);
  assert.equal(heapMb(root({ ...base, 'sys/fs/cgroup/memory/x/y/memory.limit_in_bytes': '9223372036854771712\n' })), 6144);
  // Docker without a cgroup namespace: the path is the host's, the container's limit is at the mount's root.
  assert.equal(heapMb(root({ ...base, 'sys/fs/cgroup/memory/memory.limit_in_bytes': `${GiB}\n` })), 768);
});

test('maxmemory on the command line or in the config file raises the heap to maxmemory * 3/2 + 64 MB', () => {
  const machine = meminfo(8 * GiB);
  const r = root(machine);
  assert.equal(heapMb(r, ['--maxmemory', '10gb']), 15424);
  assert.equal(heapMb(r, ['--port', '1', '--MAXMEMORY', '10GB', '--save', '']), 15424);
  assert.equal(heapMb(r, ['--maxmemory 10gb']), 15424);
  // Below what the machine gives anyway: no change.
  assert.equal(heapMb(r, ['--maxmemory', '1gb']), 6144);
  const conf = path.join(TMP, 'a.conf');
  const inc = path.join(TMP, 'inc.conf');
  fs.writeFileSync(inc, 'maxmemory 20gb\n');
  fs.writeFileSync(conf, `# comment\nport 7000\nMaxMemory "12gb"\n`);
  assert.equal(heapMb(r, [conf]), 18496);
  assert.equal(heapMb(r, [conf, '--port', '7001']), 18496);
  // The command line comes after the file; the last maxmemory wins.
  assert.equal(heapMb(r, [conf, '--maxmemory', '1mb']), 6144);
  fs.writeFileSync(conf, `maxmemory 12gb\ninclude ${inc}\n`);
  assert.equal(heapMb(r, [conf]), 30784);
  fs.writeFileSync(conf, `include ${inc}\nmaxmemory 12gb\n`);
  assert.equal(heapMb(r, [conf]), 18496);
  // A missing config file is main.js's error to report; a malformed value is ignored here.
  assert.equal(heapMb(r, [path.join(TMP, 'none.conf')]), 6144);
  assert.equal(heapMb(r, ['--maxmemory', '12xb']), 6144);
});

test("memory units read like Redis's memtoull", () => {
  const r = root(meminfo(20 * MiB));
  for (const v of ['100', '7b', '5k', '5kb', '3m', '3MB', '2g', '2gb', '1Gb']) {
    const bytes = Number(memtoull(v));
    assert.equal(heapMb(r, ['--maxmemory', v]), Math.floor((bytes * 3) / 2 / MiB) + 64, v);
  }
});

test('a --max-old-space-size in NODE_OPTIONS wins: the launcher adds none', () => {
  const r = root(meminfo(8 * GiB));
  for (const opt of ['--max-old-space-size=100', '--trace-warnings --max_old_space_size=100']) {
    const cmd = command(r, ['--maxmemory', '10gb'], { NODE_OPTIONS: opt });
    assert.equal(cmd.some((a) => a.startsWith('--max-old-space-size')), false, opt);
    assert.equal(cmd[1], '--max-semi-space-size=4');
  }
  // Other NODE_OPTIONS leave the sizing alone.
  assert.equal(heapMb(r, [], { NODE_OPTIONS: '--trace-warnings' }), 6144);
});
