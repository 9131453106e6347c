// Key extraction from key specs and the key finders (expected values measured
// on a reference Redis with COMMAND GETKEYSANDFLAGS), and the completeness of
// our COMMAND DOCS texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from '../../src/commands/types.js';
import { ALL_META, lookupMeta } from '../../src/commands/meta.js';
import { getKeys, getKeysWithFlags, commandHasKeys, getKeysOverrides } from '../../src/commands/command.js';
import { DOCS_TEXT } from '../../src/commands/docs-text.js';

function cmd(fullName: string): Command {
  const meta = lookupMeta(fullName);
  assert.ok(meta, `metadata of ${fullName}`);
  return new Command(fullName, meta, null, null, getKeysOverrides[fullName] ?? null);
}

/** Keys as [name, flags...] tuples. */
function keys(argv: string[], fullName = argv[0].toLowerCase()): string[][] {
  return getKeysWithFlags(cmd(fullName), argv).map((k) => [argv[k.pos], ...k.flags]);
}

test('index/range specs: single key, several keys, steps, last key counted from the end', () => {
  assert.deepEqual(keys(['GET', 'a']), [['a', 'RO', 'access']]);
  assert.deepEqual(keys(['MSET', 'a', '1', 'b', '2']), [['a', 'OW', 'update'], ['b', 'OW', 'update']]);
  // An odd argument count still yields the key at the last step position (arity is -3).
  assert.deepEqual(keys(['MSET', 'a', '1', 'b', '2', 'c']).map((k) => k[0]), ['a', 'b', 'c']);
  assert.deepEqual(keys(['BLPOP', 'a', 'b', '0']).map((k) => k[0]), ['a', 'b']);
  assert.deepEqual(keys(['BITOP', 'AND', 'dst', 'a', 'b']), [['dst', 'OW', 'update'], ['a', 'RO', 'access'], ['b', 'RO', 'access']]);
  assert.deepEqual(keys(['RENAME', 'a', 'b']), [['a', 'RW', 'access', 'delete'], ['b', 'OW', 'update']]);
  assert.deepEqual(getKeys(cmd('del'), ['DEL', 'x', 'y', 'z']), [1, 2, 3]);
});

test('keynum specs, and the key finder when the count is not a strict integer', () => {
  assert.deepEqual(keys(['ZUNIONSTORE', 'dst', '2', 'a', 'b']), [['dst', 'OW', 'update'], ['a', 'RO', 'access'], ['b', 'RO', 'access']]);
  // "2abc": the spec fails (strict parse), the finder uses atoi and lists the destination last, without flags.
  assert.deepEqual(keys(['ZUNIONSTORE', 'dst', '2abc', 'a', 'b']), [['a'], ['b'], ['dst']]);
  assert.deepEqual(keys(['ZUNION', '2abc', 'a', 'b']), [['a'], ['b']]);
  assert.deepEqual(keys(['EVAL', 's', '2', 'a', 'b', 'x']), [['a', 'RW', 'access', 'update'], ['b', 'RW', 'access', 'update']]);
  assert.deepEqual(keys(['BLMPOP', '0', '2', 'a', 'b', 'LEFT']).map((k) => k[0]), ['a', 'b']);
  // Zero, negative or too many keys: no keys.
  assert.deepEqual(keys(['ZUNION', '0', 'a']), []);
  assert.deepEqual(keys(['ZUNION', '3', 'a']), []);
  assert.deepEqual(keys(['ZUNIONSTORE', 'dst', '-1', 'a']), []);
  assert.deepEqual(keys(['EVAL', 's', '0']), []);
  assert.deepEqual(keys(['LMPOP', '0', 'a', 'LEFT']), []);
});

test('keyword specs: STREAMS with limit, STORE/STOREDIST searched from an index, KEYS from the end', () => {
  assert.deepEqual(keys(['XREAD', 'COUNT', '2', 'STREAMS', 'a', 'b', '0', '0']).map((k) => k[0]), ['a', 'b']);
  assert.deepEqual(keys(['XREAD', 'STREAMS', 'a', 'b', '0']).map((k) => k[0]), ['a']);
  assert.deepEqual(keys(['XREAD', 'COUNT', 'STREAMS', 'STREAMS', 'a', '0']).map((k) => k[0]), ['STREAMS']);
  assert.deepEqual(keys(['GEORADIUS', 'k', '0', '0', '1', 'm', 'STORE', 'x', 'STOREDIST', 'y']).map((k) => k[0]), ['k', 'x', 'y']);
  // STORE as the last argument: the spec fails, the finder ignores it.
  assert.deepEqual(keys(['GEORADIUS', 'k', '0', '0', '1', 'm', 'STORE']), [['k', 'RO', 'access']]);
  assert.deepEqual(keys(['MIGRATE', 'h', 'p', 'k', '0', '5']), [['k', 'RW', 'access', 'delete']]);
  // KEYS is an incomplete spec: the finder decides.
  assert.deepEqual(keys(['MIGRATE', 'h', 'p', '', '0', '5', 'KEYS', 'a', 'b']).map((k) => k[0]), ['a', 'b']);
  assert.deepEqual(keys(['MIGRATE', 'h', 'p', 'k', '0', '5', 'KEYS', 'a']), []);
  assert.deepEqual(keys(['MIGRATE', 'h', 'p', '', '0', '5', 'KEYS']).map((k) => k[0]), ['']);
});

test('variable flags and unknown specs use the key finders', () => {
  assert.deepEqual(keys(['SET', 'k', 'v']), [['k', 'OW', 'update']]);
  assert.deepEqual(keys(['SET', 'k', 'v', 'GET']), [['k', 'RW', 'access', 'update']]);
  assert.deepEqual(keys(['BITFIELD', 'k', 'GET', 'u8', '0']), [['k', 'RO', 'access']]);
  assert.deepEqual(keys(['BITFIELD', 'k', 'SET', 'u8', '0', '1']), [['k', 'RW', 'access', 'update']]);
  assert.deepEqual(keys(['SORT', 'k', 'STORE', 'd', 'BY', 'x', 'GET', 'y']), [['k', 'RO', 'access'], ['d', 'OW', 'update']]);
  assert.deepEqual(keys(['SORT', 'k', 'store', 'a', 'store', 'b']).map((k) => k[0]), ['k', 'b']);
  assert.deepEqual(keys(['SORT_RO', 'k', 'BY', 'x']), [['k', 'RO', 'access']]);
});

test('commands without keys; not_key specs; subcommands', () => {
  assert.equal(commandHasKeys(cmd('ping')), false);
  assert.equal(commandHasKeys(cmd('spublish')), false);
  assert.equal(commandHasKeys(cmd('config|get')), false);
  assert.equal(commandHasKeys(cmd('eval')), true);
  assert.deepEqual(keys(['SPUBLISH', 'c', 'm']), []);
  assert.deepEqual(keys(['OBJECT', 'ENCODING', 'k'], 'object|encoding'), [['k', 'RO']]);
  assert.deepEqual(keys(['MEMORY', 'USAGE', 'k'], 'memory|usage').map((k) => k[0]), ['k']);
});

test('COMMAND DOCS texts: one entry per command and subcommand, one note per history version', () => {
  let n = 0;
  for (const [name, m] of Object.entries(ALL_META)) {
    const entries: [string, typeof m][] = [[name, m], ...Object.entries(m.subcommands ?? {})];
    for (const [full, meta] of entries) {
      const t = DOCS_TEXT[full];
      assert.ok(t, `docs text for ${full}`);
      assert.ok(t.summary.length > 5 && t.summary.endsWith('.'), `summary of ${full}`);
      assert.deepEqual((t.history ?? []).map((h) => h[0]), meta.docs?.historyVersions ?? [], `history of ${full}`);
      n++;
    }
  }
  assert.equal(Object.keys(DOCS_TEXT).length, n);
});
