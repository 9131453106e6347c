// Glob matching (Redis's stringmatchlen). Expected values were checked with
// KEYS on a real redis-server (test/differential/glob.test.ts compares more).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch } from '../../src/util/glob.js';

function yes(p: string, s: string, nocase = false): void {
  assert.equal(globMatch(p, s, nocase), true, `${JSON.stringify(p)} should match ${JSON.stringify(s)}`);
}
function no(p: string, s: string, nocase = false): void {
  assert.equal(globMatch(p, s, nocase), false, `${JSON.stringify(p)} should not match ${JSON.stringify(s)}`);
}

test('stars and question marks', () => {
  no('*', ''); // stringmatchlen never matches an empty string with '*' (KEYS/SCAN special-case '*')
  yes('*', 'anything');
  no('**', '');
  yes('', '');
  no('', 'a');
  no('?', '');
  yes('?', 'a');
  no('?', 'ab');
  yes('h?llo', 'hello');
  yes('h*llo', 'hllo');
  yes('h*llo', 'heeeello');
  no('h*llo', 'hell');
  yes('a*b*c', 'aXbYc');
  no('a*b*c', 'aXbY');
  yes('*:*', 'foo:bar');
  yes('a*', 'a');
  yes('*a', 'a');
  no('a*', '');
});

test('classes, ranges and negation', () => {
  yes('h[ae]llo', 'hallo');
  no('h[ae]llo', 'hillo');
  yes('h[^e]llo', 'hallo');
  no('h[^e]llo', 'hello');
  yes('h[a-b]llo', 'hbllo');
  yes('h[b-a]llo', 'hallo'); // reversed range
  no('[a-c]', 'd');
  no('[A-Z]', 'a');
  yes('[a-]c', ']'); // '[a-]' is the range ']'..'a' and the class runs on unclosed
  yes('a[-]c', 'a-c');
  yes('a[\\]]c', 'a]c');
  no('[]a]', ']'); // '[]' is an empty class: it matches no byte
  no('[]a]', ']a]');
  yes('[^]', 'a'); // negated empty class: any one byte
  no('[^]', 'ab');
});

test('unclosed classes and trailing escapes', () => {
  yes('[a', 'a');
  no('[a', 'b');
  yes('a[bc', 'ab');
  no('[', '[');
  yes('a\\', 'a\\');
  yes('\\', '\\');
  yes('\\*', '*');
  no('\\*', 'a');
  yes('a\\*c', 'a*c');
  no('a\\*c', 'abc');
  yes('\\a', 'a');
});

test('bytes compare as signed chars in ranges', () => {
  no('[\x00-\x7f]', '\x80');
  yes('[\x80-\xff]', '\xe9');
  yes('[\x80-a]', '\x00');
  yes('[\x80-a]', '\xff');
  no('[\x80-a]', 'b');
  yes('[a-\x80]', 'a');
  yes('x?y', 'x\x00y');
});

test('nocase folds ASCII letters only', () => {
  yes('HELLO', 'hello', true);
  yes('h[A-Z]llo', 'hello', true);
  no('HELLO', 'hello');
  no('\xc9', '\xe9', true);
});

test('many stars stay fast and nesting beyond 1000 fails like Redis', () => {
  const s = 'a'.repeat(60);
  const t0 = Date.now();
  no('*a'.repeat(30) + 'b', s);
  assert.ok(Date.now() - t0 < 1000);
  const k = 'a'.repeat(1100) + 'b';
  yes('*a'.repeat(1000) + 'b', k);
  no('*a'.repeat(1001) + 'b', k);
});
