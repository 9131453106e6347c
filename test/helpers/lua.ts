// The Lua corpus (test/lua/*.lua): chunks of Lua separated by lines
// `--- <name>`. Each chunk runs in a driver (the same Lua code for Spinel's
// engine and for lua5.1): compiled with loadstring(code, "=input"), given
// fresh globals that fall back to _G, run under pcall; what it prints, its
// compile error or its error value make the chunk's output.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { newLuaState, loadLua, setStringHashAllBytes, LuaError, basicToString } from '../../src/scripting/lua/index.js';

export interface Chunk {
  file: string;
  name: string;
  code: string;
}

export const CORPUS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/lua');

export function loadCorpus(): Chunk[] {
  const chunks: Chunk[] = [];
  for (const f of fs.readdirSync(CORPUS_DIR).filter((n) => n.endsWith('.lua')).sort()) {
    const text = fs.readFileSync(path.join(CORPUS_DIR, f), 'latin1');
    let cur: Chunk | null = null;
    for (const line of text.split('\n')) {
      const m = /^--- (.+)$/.exec(line);
      if (m) {
        cur = { file: f, name: m[1].trim(), code: '' };
        chunks.push(cur);
      } else if (cur) cur.code += line + '\n';
    }
  }
  return chunks;
}

const MARK = '\u0001=== ';

function longString(code: string): string {
  let level = 0;
  while (code.includes(']' + '='.repeat(level) + ']')) level++;
  const eq = '='.repeat(level);
  return `[${eq}[\n${code}]${eq}]`;
}

/** A Lua string literal for any bytes. */
function luaQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) out += '\\' + s[i];
    else if (c < 32 || c > 126) out += '\\' + c.toString().padStart(3, '0');
    else out += s[i];
  }
  return out + '"';
}

/** Lua source that runs the chunks and prints their outputs. */
export function driver(chunks: Chunk[]): string {
  let s = '';
  for (const c of chunks) {
    s += `print(${luaQuote(MARK + c.file + ': ' + c.name)})\n`;
    s += 'do\n';
    s += `local f, err = loadstring(${longString(c.code)}, "=input")\n`;
    s += 'if not f then print("COMPILE: " .. err) else\n';
    s += 'setfenv(f, setmetatable({}, {__index = _G}))\n';
    s += 'local ok, e = pcall(f)\n';
    s += 'if not ok then print("ERROR: " .. tostring(e)) end\n';
    s += 'end\nend\n';
  }
  return s;
}

/** Splits a driver's output into the outputs of its chunks, keyed "file: name". */
export function splitOutput(out: string): Map<string, string> {
  const m = new Map<string, string>();
  const parts = out.split(MARK);
  for (const p of parts.slice(1)) {
    const nl = p.indexOf('\n');
    m.set(p.slice(0, nl), p.slice(nl + 1));
  }
  return m;
}

/** Addresses differ between runs and engines. */
export function normalize(s: string): string {
  return s.replace(/0x[0-9a-f]{6,}/g, '0xADDR');
}

export interface EngineRun {
  output: string;
  /** What escaped the driver (an engine failure), if anything. */
  failure: string | null;
}

/** Runs chunks through Spinel's engine; budget > 0 runs in slices of that many units. */
export function runSpinel(chunks: Chunk[], budget = 0): EngineRun {
  setStringHashAllBytes(false);
  let output = '';
  const L = newLuaState({ print: (line) => (output += line + '\n') });
  const fn = loadLua(L, driver(chunks), '=driver');
  try {
    if (budget <= 0) L.callFunction(fn, []);
    else {
      const run = L.start(fn, []);
      for (let i = 0; ; i++) {
        const s = run.step(budget);
        if (s === 'done') break;
        if (s === 'error') throw run.error;
        if (i > 5e7) throw new Error('run does not end');
      }
    }
    return { output, failure: null };
  } catch (e) {
    const msg = e instanceof LuaError ? 'lua error: ' + basicToString(e.value) : String((e as Error)?.stack ?? e);
    return { output, failure: msg };
  } finally {
    setStringHashAllBytes(true);
  }
}

export function lua51Path(): string | null {
  const exe = process.env.LUA51 ?? 'lua5.1';
  const r = spawnSync(exe, ['-v'], { encoding: 'latin1' });
  return r.status === 0 ? exe : null;
}

/** Runs chunks through the real lua5.1 (one process). */
export function runLua51(exe: string, chunks: Chunk[]): string {
  const r = spawnSync(exe, ['-'], { input: Buffer.from(driver(chunks), 'latin1'), encoding: 'latin1', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`lua5.1 failed: ${r.stderr}`);
  return r.stdout;
}
