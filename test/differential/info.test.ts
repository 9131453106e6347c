// INFO against the reference: the sections, and per section the field names in
// order. Values differ between servers (memory, pids, times), names must not.
// Redis 7.2 added fields that 7.0.15 does not have: they are listed here
// explicitly, each with where 7.2 puts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

/** Fields Redis 7.2 adds, by section, each inserted after the named field of 7.0. */
const FIELDS_72: Record<string, [string, string[]][]> = {
  server: [['io_threads_active', ['listener0']]],
  clients: [['clients_in_timeout_table', ['total_blocking_keys', 'total_blocking_keys_on_nokey']]],
  stats: [
    ['io_threaded_writes_processed', ['client_query_buffer_limit_disconnections', 'client_output_buffer_limit_disconnections']],
    [
      'reply_buffer_expands',
      [
        'eventloop_cycles',
        'eventloop_duration_sum',
        'eventloop_duration_cmd_sum',
        'instantaneous_eventloop_cycles_per_sec',
        'instantaneous_eventloop_duration_usec',
        'acl_access_denied_auth',
        'acl_access_denied_cmd',
        'acl_access_denied_key',
        'acl_access_denied_channel',
      ],
    ],
  ],
};

/** Spinel's own fields at the end of INFO memory: the heap guard (docs/compatibility.md). */
const SPINEL_MEMORY_FIELDS = ['heap_guard', 'heap_guard_used', 'heap_guard_limit', 'heap_size_limit'];

/** Section title -> field names, from an INFO reply. */
function parseInfo(reply: string): Map<string, string[]> {
  const body = reply.slice(reply.indexOf('\r\n') + 2).replace(/^txt:/, '');
  const out = new Map<string, string[]>();
  let cur: string[] | null = null;
  for (const line of body.split('\r\n')) {
    if (line.startsWith('# ')) {
      cur = [];
      out.set(line.slice(2).toLowerCase(), cur);
    } else if (line.includes(':') && cur) {
      cur.push(line.slice(0, line.indexOf(':')));
    }
  }
  return out;
}

function expected72(section: string, fields70: string[]): string[] {
  const out = [...fields70];
  for (const [after, added] of FIELDS_72[section] ?? []) {
    const i = out.indexOf(after);
    assert.ok(i >= 0, `7.0 ${section} has ${after}`);
    out.splice(i + 1, 0, ...added);
  }
  return out;
}

test('INFO everything: same sections, same fields in the same order (with the 7.2 additions)', { skip }, async () => {
  // Same activity on both, so commandstats/errorstats/latencystats/keyspace list the same names.
  await pair.both('SET', 'k', 'v');
  await pair.both('GET', 'k');
  await pair.both('NOSUCHCMD');
  await pair.both('GET');
  const [a, b] = await pair.both('INFO', 'everything');
  const sa = parseInfo(a);
  const sb = parseInfo(b);
  assert.deepEqual([...sa.keys()], [...sb.keys()]);
  for (const [section, fields] of sb) {
    let mine = sa.get(section)!;
    let ref = expected72(section, fields);
    if (section === 'memory') {
      assert.deepEqual(mine.slice(-SPINEL_MEMORY_FIELDS.length), SPINEL_MEMORY_FIELDS);
      mine = mine.slice(0, -SPINEL_MEMORY_FIELDS.length);
    }
    if (section === 'commandstats' || section === 'latencystats' || section === 'errorstats') {
      // Redis lists these in hash-table order.
      mine = [...mine].sort();
      ref = [...ref].sort();
    }
    assert.deepEqual(mine, ref, `section ${section}`);
  }
  assert.ok(sa.get('errorstats')!.includes('errorstat_ERR'));
  assert.ok(sa.get('commandstats')!.includes('cmdstat_get'));
  assert.ok(sa.get('keyspace')!.includes('db0'));
});

test('INFO section selection: default, all, several, case, unknown, modules', { skip }, async () => {
  const cases: string[][] = [
    [],
    ['default'],
    ['all'],
    ['server', 'clients'],
    ['SERVER'],
    ['cluster', 'cluster'],
    ['keyspace'],
    ['errorstats'],
    ['commandstats'],
    ['latencystats'],
    ['modules'],
    ['module_list'],
    ['all', 'foo'],
    ['default', 'commandstats'],
    ['memory', 'persistence', 'stats', 'replication', 'cpu'],
  ];
  for (const args of cases) {
    const [a, b] = await pair.both('INFO', ...args);
    assert.deepEqual([...parseInfo(a).keys()], [...parseInfo(b).keys()], `INFO ${args.join(' ')}`);
  }
  await pair.checkAll([['INFO', 'foo'], ['INFO', 'foo', 'bar'], ['INFO', 'cluster']]);
  await pair.resp(3);
  await pair.checkAll([['INFO', 'foo'], ['INFO', 'cluster']]);
  const [a, b] = await pair.both('INFO');
  assert.equal(a[0], '=');
  assert.equal(b[0], '=');
  await pair.resp(2);
});

test('INFO fixed values: versions and idle subsystems', { skip }, async () => {
  const a = await pair.spinel.call('INFO', 'server', 'persistence', 'replication', 'cluster');
  assert.match(a, /\r\nredis_version:7\.2\.4\r\n/);
  assert.match(a, /\r\nredis_mode:standalone\r\n/);
  assert.match(a, /\r\nlistener0:name=tcp,bind=127\.0\.0\.1,port=\d+\r\n/);
  assert.match(a, /\r\nrun_id:[0-9a-f]{40}\r\n/);
  assert.match(a, /\r\nmaster_replid:[0-9a-f]{40}\r\n/);
  assert.match(a, /\r\nrole:master\r\n/);
  assert.match(a, /\r\naof_enabled:0\r\n/);
  assert.match(a, /\r\nrdb_bgsave_in_progress:0\r\n/);
  assert.match(a, /\r\ncluster_enabled:0\r\n/);
});
