// Lexer and parser edge cases (messages as Lua 5.1 words them; the
// differential corpus checks many more against lua5.1 itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Lexer, LuaSyntaxError, chunkId } from '../../src/scripting/lua/lexer.js';
import { parse } from '../../src/scripting/lua/parser.js';
import { newLuaState, loadLua } from '../../src/scripting/lua/index.js';

function tokens(src: string): string[] {
  const lx = new Lexer(src, '=t');
  const out: string[] = [];
  for (;;) {
    lx.next();
    const t = lx.tok;
    if (t.type === 'eof') return out;
    out.push(t.type === 'name' || t.type === 'string' || t.type === 'number' ? `${t.type}:${String(t.value)}` : t.type);
  }
}

function syntaxError(src: string): string {
  try {
    parse(src, '=t');
  } catch (e) {
    if (e instanceof LuaSyntaxError) return e.message;
    throw e;
  }
  return 'no error';
}

function run(src: string): unknown[] {
  const L = newLuaState();
  return L.callFunction(loadLua(L, src, '=t'), []);
}

test('tokens', () => {
  assert.deepEqual(tokens('a.b..c...d'), ['name:a', '.', 'name:b', '..', 'name:c', '...', 'name:d']);
  assert.deepEqual(tokens('x==y~=z<=w>=v<u>t=s'), ['name:x', '==', 'name:y', '~=', 'name:z', '<=', 'name:w', '>=', 'name:v', '<', 'name:u', '>', 'name:t', '=', 'name:s']);
  assert.deepEqual(tokens('3 3.0 3.1416 314.16e-2 0.31416E1 0xff 0x56 .5'), [
    'number:3', 'number:3', 'number:3.1416', 'number:3.1416', 'number:3.1416', 'number:255', 'number:86', 'number:0.5',
  ]);
  assert.deepEqual(tokens('goto continue _ENV'), ['name:goto', 'name:continue', 'name:_ENV']);
  assert.deepEqual(tokens('"\\97\\10\\0x" \'\\\'\''), ['string:a\n\0x', "string:'"]);
  assert.deepEqual(tokens('[[\nfirst]] [==[a]]b]==] --[[c]] --x\n1'), ['string:first', 'string:a]]b', 'number:1']);
  assert.deepEqual(tokens('x -- comment at end'), ['name:x']);
  assert.deepEqual(tokens('[[a\r\nb\n\rc\rd]]'), ['string:a\nb\nc\nd']);
});

test('line counting: \\r\\n and \\n\\r are one line each', () => {
  assert.equal(syntaxError('x = 1\r\n\r\ny = = 2'), "t:3: unexpected symbol near '='");
  assert.equal(syntaxError('x = 1\n\r\n\ry = = 2'), "t:3: unexpected symbol near '='");
  assert.equal(syntaxError('x = 1\r\ry = = 2'), "t:3: unexpected symbol near '='");
  assert.equal(syntaxError('x = [[\n\n]] y = = 2'), "t:3: unexpected symbol near '='");
});

test('lexer errors', () => {
  assert.equal(syntaxError('x = "abc'), "t:1: unfinished string near '<eof>'");
  assert.equal(syntaxError('x = "abc\ny"'), 't:1: unfinished string near \'"abc\'');
  assert.equal(syntaxError('x = "\\256"'), 't:1: escape sequence too large near \'"\'');
  assert.equal(syntaxError('x = [==[ abc'), "t:1: unfinished long string near '<eof>'");
  assert.equal(syntaxError('--[[ abc'), "t:1: unfinished long comment near '<eof>'");
  assert.equal(syntaxError('x = [=x'), "t:1: invalid long string delimiter near '[='");
  assert.equal(syntaxError('x = [[ [[ ]]'), "t:1: nesting of [[...]] is deprecated near '['");
  assert.equal(syntaxError('x = 1.2.3'), "t:1: malformed number near '1.2.3'");
  assert.equal(syntaxError('x = 12abc'), "t:1: malformed number near '12abc'");
  assert.equal(syntaxError('x = \x01'), "t:1: unexpected symbol near 'char(1)'");
  assert.equal(syntaxError('#!/usr/bin/lua\nreturn 1'), "t:1: unexpected symbol near '#'");
});

test('parser errors', () => {
  assert.equal(syntaxError('x = 1 +'), "t:1: unexpected symbol near '<eof>'");
  assert.equal(syntaxError('if x then'), "t:1: 'end' expected near '<eof>'");
  assert.equal(syntaxError('if x then\n\nx = 1'), "t:3: 'end' expected (to close 'if' at line 1) near '<eof>'");
  assert.equal(syntaxError('f(\n1'), "t:2: ')' expected (to close '(' at line 1) near '<eof>'");
  assert.equal(syntaxError('local function f(a, 1) end'), "t:1: <name> or '...' expected near '1'");
  assert.equal(syntaxError('x.y:z = 1'), "t:1: function arguments expected near '='");
  assert.equal(syntaxError('return 1 x = 2'), "t:1: '<eof>' expected near 'x'");
  assert.equal(syntaxError('for a.b = 1, 2 do end'), "t:1: '=' or 'in' expected near '.'");
  assert.equal(syntaxError('f\n(1)'), 't:2: ambiguous syntax (function call x new statement) near \'(\'');
  assert.equal(syntaxError('x = function() return ... end'), "t:1: cannot use '...' outside a vararg function near '...'");
  assert.equal(syntaxError('while 1 do end break'), "t:1: no loop to break near '<eof>'");
});

test('limits', () => {
  const locals = 'local ' + Array.from({ length: 200 }, (_, i) => 'a' + i).join(', ');
  assert.equal(syntaxError(locals), 'no error');
  assert.equal(syntaxError(locals + '\nlocal z'), 't:2: main function has more than 200 local variables');
  const nested = 'return ' + '('.repeat(250) + '1' + ')'.repeat(250);
  assert.equal(syntaxError(nested), 't:1: chunk has too many syntax levels');
  const ups = Array.from({ length: 61 }, (_, i) => `local u${i} = ${i}`).join('\n') + '\nreturn function() return ' + Array.from({ length: 61 }, (_, i) => 'u' + i).join(' + ') + ' end';
  assert.equal(syntaxError(ups), 't:62: function at line 62 has more than 60 upvalues');
});

test('chunk names as luaO_chunkid shows them', () => {
  assert.equal(chunkId('=stdin'), 'stdin');
  assert.equal(chunkId('@user_script'), 'user_script');
  assert.equal(chunkId('return 1'), '[string "return 1"]');
  assert.equal(chunkId('line one\nline two'), '[string "line one..."]');
  assert.equal(chunkId('x'.repeat(70)), `[string "${'x'.repeat(63)}..."]`);
});

test('compiled programs', () => {
  assert.deepEqual(run('local a, b = 1 return a, b'), [1, undefined]);
  assert.deepEqual(run('return 2^3^2, -2^2, not nil == true'), [512, -4, true]);
  assert.deepEqual(run('local t = {} t.x, t.y = 1 return t.x, t.y'), [1, undefined]);
  assert.deepEqual(run('return select("#", (function() end)())'), [0]);
  assert.deepEqual(run('local s = 0 for i = 10, 1, -2 do s = s + i end return s'), [30]);
  assert.deepEqual(run('return ("x"):rep(3)'), ['xxx']);
  assert.deepEqual(run('local function f(...) local a, b = ... return b, a end return f(1, 2)'), [2, 1]);
});
