// INFO values that follow activity: keyspace hits/misses, errorstats,
// commandstats, latencystats, connections, changes since last save, keyspace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel();
});
after(() => s.close());

async function info(c: RawClient, ...sections: string[]): Promise<Map<string, string>> {
  const r = await c.call('INFO', ...sections);
  const m = new Map<string, string>();
  for (const line of r.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

test('keyspace_hits / keyspace_misses / total_commands_processed follow GETs', async () => {
  const c = await RawClient.connect(s.port);
  try {
    const before = await info(c, 'stats');
    await c.call('SET', 'hk', 'v');
    await c.call('GET', 'hk');
    await c.call('GET', 'hk');
    await c.call('GET', 'nokey');
    const after = await info(c, 'stats');
    assert.equal(Number(after.get('keyspace_hits')) - Number(before.get('keyspace_hits')), 2);
    assert.equal(Number(after.get('keyspace_misses')) - Number(before.get('keyspace_misses')), 1);
    // SET, GET x3 and the first INFO.
    assert.equal(Number(after.get('total_commands_processed')) - Number(before.get('total_commands_processed')), 5);
    assert.ok(Number(after.get('total_net_input_bytes')) > Number(before.get('total_net_input_bytes')));
    assert.ok(Number(after.get('total_reads_processed')) >= 5);
    assert.ok(Number(after.get('total_writes_processed')) >= 4);
  } finally {
    c.close();
  }
});

test('errorstats and commandstats count errors, failed and rejected calls', async () => {
  const c = await RawClient.connect(s.port);
  try {
    await c.call('SET', 'ek', 'v');
    await c.call('HSET', 'ek', 'f', 'v'); // WRONGTYPE (failed call) if HSET exists, else unknown command (ERR)
    await c.call('GET'); // arity: rejected call
    await c.call('NOSUCHCOMMAND');
    const es = await info(c, 'errorstats');
    assert.ok(Number(es.get('errorstat_ERR')!.slice('count='.length)) >= 2);
    const cs = await info(c, 'commandstats');
    assert.match(cs.get('cmdstat_get')!, /^calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=1,failed_calls=0$/);
    assert.match(cs.get('cmdstat_set')!, /^calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
    const st = await info(c, 'stats');
    assert.ok(Number(st.get('total_error_replies')) >= 3);
    // The default INFO leaves commandstats and latencystats out.
    const def = await c.call('INFO');
    assert.doesNotMatch(def, /# Commandstats|# Latencystats/);
    assert.match(def, /# Errorstats\r\nerrorstat_ERR:count=\d+\r\n/);
  } finally {
    c.close();
  }
});

test('latencystats: percentiles per command, configurable, off with latency-tracking no', async () => {
  const c = await RawClient.connect(s.port);
  try {
    await c.call('PING');
    let ls = await info(c, 'latencystats');
    assert.match(ls.get('latency_percentiles_usec_ping')!, /^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
    s.server.config.set('latency-tracking-info-percentiles', [0, 25.5, 100]);
    ls = await info(c, 'latencystats');
    assert.match(ls.get('latency_percentiles_usec_ping')!, /^p0=\d+\.\d{3},p25\.5=\d+\.\d{3},p100=\d+\.\d{3}$/);
    s.server.config.set('latency-tracking', false);
    assert.equal(await c.call('INFO', 'latencystats'), '$16\r\n# Latencystats\r\n\r\n');
  } finally {
    s.server.config.set('latency-tracking', true);
    s.server.config.set('latency-tracking-info-percentiles', [50, 99, 99.9]);
    c.close();
  }
});

test('clients, persistence and keyspace sections follow the server state', async () => {
  const a = await RawClient.connect(s.port);
  const b = await RawClient.connect(s.port);
  try {
    const cl = await info(a, 'clients', 'server');
    assert.equal(cl.get('connected_clients'), String(s.server.clients.size));
    assert.equal(cl.get('tcp_port'), String(s.port));
    assert.equal(cl.get('run_id'), s.server.runId);
    assert.equal(cl.get('process_id'), String(process.pid));
    const p0 = await info(a, 'persistence');
    await a.call('SET', 'pk1', 'v');
    await a.call('SET', 'pk2', 'v');
    const p1 = await info(a, 'persistence');
    assert.equal(Number(p1.get('rdb_changes_since_last_save')) - Number(p0.get('rdb_changes_since_last_save')), 2);
    assert.equal(p1.get('rdb_last_save_time'), String(s.server.lastSave));
    assert.equal(await a.call('LASTSAVE'), `:${s.server.lastSave}\r\n`);
    await a.call('SELECT', '5');
    await a.call('SET', 'x', '1');
    const ks = await info(a, 'keyspace');
    assert.match(ks.get('db5')!, /^keys=1,expires=0,avg_ttl=0$/);
    assert.equal(ks.has('db6'), false);
    const st = await info(b, 'stats');
    assert.ok(Number(st.get('total_connections_received')) >= 2);
  } finally {
    a.close();
    b.close();
  }
});

test('TIME: seconds and microseconds as bulk strings, close to the clock', async () => {
  const c = await RawClient.connect(s.port);
  try {
    const t = (await c.value('TIME')) as string[];
    assert.equal(t.length, 2);
    assert.match(t[0], /^\d+$/);
    assert.match(t[1], /^\d{1,6}$/);
    assert.ok(Math.abs(Number(t[0]) + Number(t[1]) / 1e6 - Date.now() / 1000) < 2);
    assert.equal(await c.call('TIME', 'x'), "-ERR wrong number of arguments for 'time' command\r\n");
  } finally {
    c.close();
  }
});

test('instantaneous_ops_per_sec and input kbps are sampled by the cron', async () => {
  const c = await RawClient.connect(s.port);
  try {
    const burst: Promise<string>[] = [];
    for (let i = 0; i < 300; i++) burst.push(c.call('PING'));
    await Promise.all(burst);
    await new Promise((r) => setTimeout(r, 350));
    const st = await info(c, 'stats');
    assert.ok(Number(st.get('instantaneous_ops_per_sec')) > 0, st.get('instantaneous_ops_per_sec'));
    assert.ok(Number(st.get('instantaneous_input_kbps')) > 0, st.get('instantaneous_input_kbps'));
  } finally {
    c.close();
  }
});
