// INFO against the reference: the sections, and per section the field names in
// order. Values differ between servers (memory, pids, times), names must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair } from '../helpers/differential.js';

let pair: DiffPair;
const skip = usePair((p) => (pair = p));

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

/** INFO fields only Spinel has (docs/compatibility.md), by section: they come last in it. */
const SPINEL_ONLY_FIELDS: Record<string, string[]> = {
  memory: ['heap_guard', 'heap_guard_used', 'heap_guard_limit', 'heap_size_limit'],
  stats: ['internal_errors'],
};

test('INFO everything: same sections, same fields in the same order', { skip }, async () => {
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
    // Fields Spinel adds on purpose (docs/compatibility.md), at the end of their section.
    const own = SPINEL_ONLY_FIELDS[section] ?? [];
    let mine = sa.get(section)!;
    assert.deepEqual(mine.slice(mine.length - own.length), own, `Spinel's own fields of ${section}`);
    mine = mine.slice(0, mine.length - own.length);
    let ref = fields;
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
  assert.match(a, /\r\nredis_version:7\.2\.6\r\n/);
  assert.match(a, /\r\nredis_mode:standalone\r\n/);
  assert.match(a, /\r\nlistener0:name=tcp,bind=127\.0\.0\.1,port=\d+\r\n/);
  assert.match(a, /\r\nrun_id:[0-9a-f]{40}\r\n/);
  assert.match(a, /\r\nmaster_replid:[0-9a-f]{40}\r\n/);
  assert.match(a, /\r\nrole:master\r\n/);
  assert.match(a, /\r\naof_enabled:0\r\n/);
  assert.match(a, /\r\nrdb_bgsave_in_progress:0\r\n/);
  assert.match(a, /\r\ncluster_enabled:0\r\n/);
});
