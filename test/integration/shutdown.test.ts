// SHUTDOWN and signals against spinel-server child processes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'spinel-shutdown-'));
const BIN = path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..'), 'bin', 'spinel-server');

function spawnServer(args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: TMP });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

async function connectRetry(port: number, ms = 30000): Promise<RawClient> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await RawClient.connect(port);
    } catch (e) {
      if (Date.now() - t0 > ms) throw e;
      await new Promise((r) => setTimeout(r, 30));
    }
  }
}

after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** Waits until the server logged that it is ready (its start-up load is done). */
async function ready(s: { out: () => string }): Promise<void> {
  for (let i = 0; i < 600 && !/Ready to accept connections/.test(s.out()); i++) await new Promise((r) => setTimeout(r, 50));
}

/** A fresh directory for one server (its dump.rdb). */
function freshDir(name: string): string {
  const d = path.join(TMP, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

test('SHUTDOWN argument errors, ABORT; a failing final save stops the shutdown unless FORCE', async () => {
  const port = await freePort();
  const pidfile = path.join(TMP, 'a.pid');
  const sock = path.join(TMP, 'a.sock');
  // Default save points (3600 1 300 100 60 10000): the final save is required.
  // A directory named like the file (made once the server started) makes the save's rename fail.
  const dir = freshDir('failing');
  const s = spawnServer(['--port', String(port), '--pidfile', pidfile, '--unixsocket', sock, '--dir', dir, '--dbfilename', 'blocked.rdb']);
  const c = await connectRetry(port);
  await ready(s);
  fs.mkdirSync(path.join(dir, 'blocked.rdb'));
  assert.equal(await c.call('SHUTDOWN', 'foo'), '-ERR syntax error\r\n');
  assert.equal(await c.call('SHUTDOWN', 'nosave', 'save'), '-ERR syntax error\r\n');
  assert.equal(await c.call('SHUTDOWN', 'abort', 'now'), '-ERR syntax error\r\n');
  assert.equal(await c.call('SHUTDOWN', 'ABORT'), '-ERR No shutdown in progress.\r\n');
  assert.equal(await c.call('SHUTDOWN'), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
  assert.equal(await c.call('SHUTDOWN', 'SAVE', 'NOW'), '-ERR Errors trying to SHUTDOWN. Check logs.\r\n');
  assert.equal(await c.call('PING'), '+PONG\r\n');
  assert.ok(fs.existsSync(pidfile));
  assert.ok(fs.existsSync(sock));
  await assert.rejects(c.call('SHUTDOWN', 'save', 'force'), /connection closed/);
  assert.equal(await s.exited, 0);
  assert.equal(fs.existsSync(pidfile), false);
  assert.equal(fs.existsSync(sock), false);
  const out = s.out();
  assert.match(out, /# User requested shutdown\.\.\.\n/);
  assert.match(out, /\* Saving the final RDB snapshot before exiting\.\n/);
  assert.match(out, /# Error moving temp DB file temp-\d+\.rdb on the final destination blocked\.rdb \(in server root dir .*failing\): Is a directory\n/);
  assert.match(out, /# Error trying to save the DB, can't exit\.\n/);
  assert.match(out, /# Errors trying to shut down the server\. Check the logs for more information\.\n/);
  assert.match(out, /# Error trying to save the DB\. Exit anyway\.\n/);
  assert.match(out, /\* Removing the pid file\.\n/);
  assert.match(out, /\* Removing the unix socket file\.\n/);
  // The temp file is gone.
  assert.deepEqual(fs.readdirSync(dir), ['blocked.rdb']);
});

test('SHUTDOWN saves with save points (and the next start loads it); NOSAVE and save "" do not', async () => {
  const dir = freshDir('saving');
  const port = await freePort();
  const s = spawnServer(['--port', String(port), '--dir', dir]);
  const c = await connectRetry(port);
  assert.equal(await c.call('SET', 'k', 'v1'), '+OK\r\n');
  await assert.rejects(c.call('SHUTDOWN'), /connection closed/);
  assert.equal(await s.exited, 0);
  assert.match(s.out(), /\* Saving the final RDB snapshot before exiting\.\n.*\* DB saved on disk\n/s);
  assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')));

  // Loaded at start; NOSAVE leaves the file as it was.
  const port2 = await freePort();
  const s2 = spawnServer(['--port', String(port2), '--dir', dir]);
  const c2 = await connectRetry(port2);
  assert.equal(await c2.call('GET', 'k'), '$2\r\nv1\r\n');
  assert.match(s2.out(), /\* DB loaded from disk: [0-9.]+ seconds\n/);
  assert.equal(await c2.call('SET', 'k', 'v2'), '+OK\r\n');
  await assert.rejects(c2.call('shutdown', 'nosave'), /connection closed/);
  assert.equal(await s2.exited, 0);

  // save "": a plain SHUTDOWN does not save, SHUTDOWN SAVE does.
  const port3 = await freePort();
  const s3 = spawnServer(['--port', String(port3), '--dir', dir, '--save', '']);
  const c3 = await connectRetry(port3);
  assert.equal(await c3.call('GET', 'k'), '$2\r\nv1\r\n');
  assert.equal(await c3.call('SET', 'k', 'v3'), '+OK\r\n');
  await assert.rejects(c3.call('SHUTDOWN', 'SAVE'), /connection closed/);
  assert.equal(await s3.exited, 0);
  const port4 = await freePort();
  const s4 = spawnServer(['--port', String(port4), '--dir', dir, '--save', '']);
  const c4 = await connectRetry(port4);
  assert.equal(await c4.call('GET', 'k'), '$2\r\nv3\r\n');
  assert.equal(await c4.call('SET', 'k', 'v4'), '+OK\r\n');
  await assert.rejects(c4.call('SHUTDOWN'), /connection closed/);
  assert.equal(await s4.exited, 0);
  assert.doesNotMatch(s4.out(), /Saving the final RDB snapshot/);
});

test('SIGTERM with save points saves; after a failing save the server keeps running, the next SIGTERM tries again', async () => {
  const dir = freshDir('sigterm');
  const port = await freePort();
  const s = spawnServer(['--port', String(port), '--dir', dir]);
  const c = await connectRetry(port);
  assert.equal(await c.call('SET', 'k', 'v'), '+OK\r\n');
  s.child.kill('SIGTERM');
  assert.equal(await s.exited, 0);
  assert.ok(fs.existsSync(path.join(dir, 'dump.rdb')));
  c.close();

  const bad = freshDir('sigterm-failing');
  const port2 = await freePort();
  const s2 = spawnServer(['--port', String(port2), '--dir', bad]);
  const c2 = await connectRetry(port2);
  await ready(s2);
  const blocker = path.join(bad, 'dump.rdb');
  fs.mkdirSync(blocker);
  s2.child.kill('SIGTERM');
  for (let i = 0; i < 200 && !/SIGTERM received but errors/.test(s2.out()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(s2.out(), /# SIGTERM received but errors trying to shut down the server, check the logs for more information\n/);
  assert.equal(await c2.call('PING'), '+PONG\r\n');
  fs.rmdirSync(blocker);
  s2.child.kill('SIGTERM');
  assert.equal(await s2.exited, 0);
  assert.ok(fs.statSync(blocker).isFile());
  c2.close();
});

test('SIGTERM and SIGINT: clean exit, pidfile removed', async () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    const port = await freePort();
    const pidfile = path.join(TMP, `${sig}.pid`);
    const s = spawnServer(['--port', String(port), '--pidfile', pidfile]);
    const c = await connectRetry(port);
    assert.equal(await c.call('PING'), '+PONG\r\n');
    assert.equal(fs.readFileSync(pidfile, 'latin1'), `${s.child.pid}\n`);
    s.child.kill(sig);
    assert.equal(await s.exited, 0);
    assert.equal(fs.existsSync(pidfile), false);
    assert.match(s.out(), new RegExp(`\\d+:signal-handler \\(\\d+\\) Received ${sig} scheduling shutdown\\.\\.\\.\\n`));
    c.close();
  }
});
