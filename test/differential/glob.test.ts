// Glob matching compared with the real server: KEYS over a prepared set of
// keys, hand-picked tricky patterns plus seeded random ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usePair, type DiffPair } from '../helpers/differential.js';
import { decode } from '../helpers/resp.js';

let pair: DiffPair | null = null;
const skip = usePair((p) => (pair = p));

const KEYS = [
  '', 'a', 'b', 'A', 'ab', 'abc', 'abd', 'aXc', 'a*c', 'a?c', 'a[c', 'a]c', 'a\\c', 'a-c', 'a^c',
  'hello', 'hallo', 'hxllo', 'heeello', 'hllo', 'Hello', 'HELLO', 'h*llo', 'h\\', '\\', '[', ']', '^', '-', '*', '?',
  'foo:bar', 'foo:baz:1', 'foo::', 'x\x00y', '\x00', '\x7f', '\x80', '\xff', 'a\xe9b', '\xe9', 'é',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaab', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'a\\*b', 'abc]', 'ab]', 'z', 'Z', '0', '9', '[abc]',
];

const PATTERNS = [
  '*', '', '?', '??', '???', 'a*', '*c', 'a*c', '*a*', 'a?c', 'h?llo', 'h*llo', 'h[ae]llo', 'h[^e]llo', 'h[a-b]llo',
  'h[b-a]llo', '[a-c]*', '[c-a]*', '[A-Z]*', '[^a]', '[^a-z]', '[]', '[]]', '[]a]', '[a]]', '[^]', '[^]]', '[', '[a', '[^',
  'a[', 'a[b', 'a[bc', '[a-', '[a-]', '[a-]c', 'a[-]c', 'a[\\]]c', 'a[\\', 'a\\', '\\', '\\\\', 'a\\*c', 'a\\?c', 'a\\[c',
  'a\\c', '\\a', '\\*', '\\?', '*\\', 'a[*]c', 'a[?]c', 'a[[]c', 'a[\\-]c', 'a[a-\\]c', '[\\]-a]*', '**', '***a', '*a*a*a*a*a*a*b',
  '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a*b*c', '*:*', 'foo:*', 'foo:*:*', 'foo:?a?', '*\x00*', 'x?y', '[\x00-\x7f]',
  '[\x80-\xff]', '[\x00-\xff]', '[a-\x80]', '[\x80-a]', '[\xe9]', '?\xe9?', '[^\x80-\xff]', '[z-a]', '[Z-a]', '[0-9]', '[9-0]',
  'h[a-e]*o', 'h[a-e]?llo', '*[', '*[a', '*]', '?]', '[]-a]*', '[a-]]', 'a*[', '[^-]', '[-a]', '[--]', '[---]', '[!a]',
  '[[]', '[[]*', '[\\', '[\\]', '[\\\\]', '*a\\', 'abc]', 'ab[c]]', '[a-c-e]*', '[a-ce-g]*', '[ab-]', '[]-]',
];

async function keysBoth(p: DiffPair, pattern: string): Promise<void> {
  const [a, b] = await p.both('KEYS', Buffer.from(pattern, 'latin1'));
  const da = decode(Buffer.from(a, 'latin1'))[0] as string[];
  const db = decode(Buffer.from(b, 'latin1'))[0] as string[];
  assert.ok(Array.isArray(da), `KEYS ${JSON.stringify(pattern)} -> ${a}`);
  assert.deepEqual([...da].sort(), [...db].sort(), `KEYS ${JSON.stringify(pattern)}`);
}

async function load(p: DiffPair, keys: string[]): Promise<void> {
  await p.both('FLUSHALL');
  for (const k of keys) await p.both('SET', Buffer.from(k, 'latin1'), '1');
}

test('KEYS with tricky glob patterns matches Redis', { skip }, async () => {
  const p = pair!;
  await load(p, KEYS);
  for (const pat of PATTERNS) await keysBoth(p, pat);
});

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('KEYS with random glob patterns matches Redis', { skip }, async () => {
  const p = pair!;
  const r = rng(12345);
  const keyAlphabet = ['a', 'b', 'c', 'A', '-', ']', '[', '\\', '*', '^', '\xe9', '\x00'];
  const patAlphabet = ['a', 'b', 'c', 'A', '-', ']', '[', '\\', '*', '?', '^', '\xe9', '\x00', '[a-c]', '[^b]', '*'];
  const keys = new Set<string>();
  while (keys.size < 150) {
    let k = '';
    const n = Math.floor(r() * 6);
    for (let i = 0; i < n; i++) k += keyAlphabet[Math.floor(r() * keyAlphabet.length)];
    keys.add(k);
  }
  await load(p, [...keys]);
  for (let i = 0; i < 300; i++) {
    let pat = '';
    const n = 1 + Math.floor(r() * 6);
    for (let j = 0; j < n; j++) pat += patAlphabet[Math.floor(r() * patAlphabet.length)];
    await keysBoth(p, pat);
  }
});

test('SCAN MATCH uses the same matcher', { skip }, async () => {
  const p = pair!;
  await load(p, KEYS);
  for (const pat of ['h[ae]llo', 'a\\*c', '[\x80-a]', '*a*a*b', '[a-]c']) {
    const [a, b] = await p.both('SCAN', '0', 'MATCH', Buffer.from(pat, 'latin1'), 'COUNT', '1000');
    const da = (decode(Buffer.from(a, 'latin1'))[0] as [string, string[]])[1];
    const db = (decode(Buffer.from(b, 'latin1'))[0] as [string, string[]])[1];
    assert.deepEqual([...da].sort(), [...db].sort(), `SCAN MATCH ${JSON.stringify(pat)}`);
  }
});
