// Compiles a parsed chunk to JavaScript: one body function per Lua
// function, built with `new Function`, so V8 compiles Lua code to machine
// code.
//
// A body is a resumable state machine:
//
//   function F(L, fr) {
//     let s0, s1, ...;          // slots: locals and temporaries live across calls
//     let x0, x1, ...;          // scratch: temporaries never live across a call
//     let pc = fr.pc, T = 0;
//     if (pc === 0) { budget check; parameters from fr.args }
//     else { restore the slots live at `pc` from fr.r }
//     out: for (;;) switch (pc) {
//       case 0: ...straight-line code...
//         fr.pc = 7; if (L.call(f, [a, b])) { T = 3; break out; }   // a call
//       case 7: x4 = L.r1; ...                                       // its results
//     }
//     save slots 0..T-1 into fr.r       // reached only through `break out`
//   }
//
// Every point where the body may have to return to the trampoline (a call,
// a loop's back edge when the budget is spent) is a `case` label; control
// flow is jumps (`pc = N; continue out;`), except `if`s without calls or
// loops inside, which stay JavaScript `if`s. Slots are allocated like Lua's
// registers (a stack), so the live slots at any point are 0..top-1 and
// saving/restoring them is one fall-through switch.
//
// Evaluation order follows the Lua 5.1 compiler: operands are evaluated
// left to right, a value computed before a call that follows it in the same
// expression is kept in a slot, and locals used as operands of arithmetic,
// comparisons and indexing are read when the operation runs (they are
// register operands in Lua), while call arguments, concatenation operands
// and table constructor items are copies.
//
// Each operation that can fail has a site number; the prototype's site
// tables give its line and how its operands were named ("local 'x'",
// "field 'y'"), which is how Lua 5.1 words its runtime errors.

import type { Expr, FuncNode, LocalVar, Stat, TableItem } from './ast.js';
import { isMulti } from './ast.js';
import { parse } from './parser.js';
import { chunkId } from './lexer.js';
import type { Proto } from './proto.js';
import { LuaTable, makeTemplate, stringHash, type TableTemplate } from './table.js';
import { LuaClosure, NONE } from './value.js';
import { arithRaw } from './vm.js';

const LFIELDS_PER_FLUSH = 50;

/** luaO_int2fb then luaO_fb2int: the size a constructor's hint becomes. */
export function roundSizeHint(x: number): number {
  return fb2int(int2fb(x));
}
function fb2int(x: number): number {
  const e = (x >> 3) & 31;
  if (e === 0) return x;
  return ((x & 7) + 8) * 2 ** (e - 1);
}
function int2fb(x: number): number {
  let e = 0;
  while (x >= 16) {
    x = (x + 1) >> 1;
    e++;
  }
  if (x < 8) return x;
  return ((e + 1) << 3) | (x - 8);
}

export interface CompileOptions {
  /** Chunk name as given to load (e.g. "=input", "@user_script", or the source itself). */
  chunkName: string;
}

/** Compiles source text to the main function's prototype. Throws LuaSyntaxError. */
export function compile(source: string, chunkName: string): Proto {
  const main = parse(source, chunkName);
  const gen = new ChunkGen(chunkId(chunkName));
  gen.func(main);
  return gen.finish();
}

/** Runtime values the generated code closes over. */
const NEGNAN = new Float64Array(new Uint32Array([0, 0xfff80000]).buffer)[0];
const RUNTIME = { LT: LuaTable, LC: LuaClosure, NONE, NEGNAN };

class ChunkGen {
  readonly protos: Proto[] = [];
  readonly bodies: string[] = [];
  readonly templates: TableTemplate[] = [];

  constructor(readonly source: string) {}

  func(node: FuncNode): number {
    const id = this.protos.length;
    const proto: Proto = {
      body: null as never,
      source: this.source,
      line: node.line,
      lastLine: node.lastLine,
      numParams: node.params.length,
      isVararg: node.isVararg,
      siteLine: [],
      siteName: [],
      siteName2: [],
      siteNames: [],
      siteCall: [],
      tops: [],
      upvalNames: node.upvals.map((u) => u.name),
    };
    this.protos.push(proto);
    this.bodies.push('');
    const fg = new FuncGen(this, node, proto, id);
    this.bodies[id] = fg.generate();
    return id;
  }

  finish(): Proto {
    let code = '"use strict";\nconst { LT, LC, NONE, NEGNAN } = RT;\n';
    for (let i = 0; i < this.bodies.length; i++) code += `const TOPS${i} = P[${i}].tops;\n`;
    for (let i = 0; i < this.bodies.length; i++) code += this.bodies[i] + '\n';
    code += 'return [' + this.bodies.map((_, i) => 'F' + i).join(', ') + '];';
    const factory = new Function('RT', 'P', 'TPL', code) as (
      rt: typeof RUNTIME,
      p: Proto[],
      tpl: TableTemplate[],
    ) => Proto['body'][];
    const bodies = factory(RUNTIME, this.protos, this.templates);
    for (let i = 0; i < bodies.length; i++) this.protos[i].body = bodies[i];
    return this.protos[0];
  }
}

/** A compiled expression: JavaScript text plus what kind of text it is. */
type Simple = string;

const IDENT = /^(?:[sx]\d+|undefined|true|false|\d[\d.e+-]*|\(-[\d.e+-]+\)|\(-0\)|Infinity|\(-Infinity\)|"(?:[^"\\]|\\.)*")$/;
const LOCAL_READ = /^s\d+(?:\.v)?$/;

function isSimple(s: string): boolean {
  return IDENT.test(s) || LOCAL_READ.test(s);
}
function isLiteral(s: string): boolean {
  return IDENT.test(s) && !/^[sx]\d+$/.test(s);
}

class FuncGen {
  private out: string[] = [];
  private top = 0;
  private maxTop = 0;
  private scratch = 0;
  private readonly slotOf = new Map<LocalVar, number>();
  /** Slots of the active local variables. */
  private readonly localSlots = new Set<number>();
  private readonly active: LocalVar[] = [];
  private readonly loopExits: number[] = [];
  private readonly numConsts = new Map<number, number>();
  private readonly callCache = new WeakMap<object, boolean>();
  private readonly labelCache = new WeakMap<object, boolean>();

  constructor(
    private readonly chunk: ChunkGen,
    private readonly node: FuncNode,
    private readonly proto: Proto,
    private readonly id: number,
  ) {}

  // ---- sites and labels ----

  private site(line: number, name: string | null = null, name2: string | null = null): number {
    const p = this.proto;
    p.siteLine.push(line);
    p.siteName.push(name);
    p.siteName2.push(name2);
    p.siteNames.push(null);
    p.siteCall.push(null);
    p.tops.push(0);
    return p.siteLine.length - 1;
  }

  private emit(s: string): void {
    this.out.push(s);
  }

  private emitLabel(id: number): void {
    this.out.push(`case ${id}:`);
  }

  private jump(id: number): string {
    return `{ pc = ${id}; continue out; }`;
  }

  private newScratch(): string {
    return 'x' + this.scratch++;
  }

  private allocSlot(): number {
    const k = this.top++;
    if (this.top > this.maxTop) this.maxTop = this.top;
    return k;
  }

  /** Text safe before a property access (a number literal is not). */
  private objText(s: string): string {
    return isLiteral(s) ? this.toScratch(s) : s;
  }

  /** A read of an active local variable (not of a temporary slot). */
  private isLocalRead(s: string): boolean {
    const m = /^s(\d+)(?:\.v)?$/.exec(s);
    return m !== null && this.localSlots.has(Number(m[1]));
  }

  private toScratch(s: string): string {
    const x = this.newScratch();
    this.emit(`${x} = ${s};`);
    return x;
  }

  /** e's value as simple text, evaluated now. */
  private simple(s: string): Simple {
    return isSimple(s) ? s : this.toScratch(s);
  }

  /**
   * Keeps a value across a call that follows: in a new slot, unless it is a
   * literal (or, with keepLocals, a local read, which Lua reads when the
   * operation runs).
   */
  private protect(s: string, keepLocals: boolean): string {
    if (isLiteral(s)) return s;
    if (keepLocals && this.isLocalRead(s)) return s;
    const k = this.allocSlot();
    this.emit(`s${k} = ${s};`);
    return 's' + k;
  }

  /** Simple text for an operand evaluated before `later` (protected if later contains calls). */
  private operand(e: Expr, later: Expr[], keepLocals: boolean): string {
    const s = this.ex(e);
    if (later.some((x) => this.hasCall(x))) return this.protect(s, keepLocals);
    return this.simple(s);
  }

  // ---- analysis ----

  hasCall(e: Expr | Stat | null): boolean {
    if (e === null) return false;
    const c = this.callCache.get(e);
    if (c !== undefined) return c;
    const r = this.computeHasCall(e);
    this.callCache.set(e, r);
    return r;
  }

  private computeHasCall(e: Expr | Stat): boolean {
    const any = (xs: (Expr | Stat)[]): boolean => xs.some((x) => this.hasCall(x));
    switch (e.k) {
      case 'call':
        return true;
      case 'method':
        return true;
      case 'index':
        return this.hasCall(e.obj) || this.hasCall(e.key);
      case 'bin':
        return this.hasCall(e.a) || this.hasCall(e.b);
      case 'and':
      case 'or':
        return this.hasCall(e.a) || this.hasCall(e.b);
      case 'concat':
        return any(e.items);
      case 'not':
      case 'neg':
      case 'len':
        return this.hasCall(e.a);
      case 'paren':
        return this.hasCall(e.e);
      case 'table':
        return e.items.some((it) => this.hasCall(it.v) || (it.k === 'named' && this.hasCall(it.key)));
      case 'local':
        if ('vars' in e) return any(e.exprs);
        return false;
      case 'localfunc':
        return false;
      case 'assign':
        return any(e.exprs) || any(e.targets);
      case 'do':
        return any(e.body);
      case 'while':
        return this.hasCall(e.cond) || any(e.body);
      case 'repeat':
        return this.hasCall(e.cond) || any(e.body);
      case 'if':
        return any(e.conds) || e.blocks.some((b) => any(b)) || (e.orelse !== null && any(e.orelse));
      case 'fornum':
        return true;
      case 'forin':
        return true;
      case 'return':
        return any(e.exprs);
      default:
        return false;
    }
  }

  /** A statement that needs case labels inside (calls or loops): it cannot be a JavaScript `if`. */
  private needsLabels(s: Stat): boolean {
    const c = this.labelCache.get(s);
    if (c !== undefined) return c;
    let r: boolean;
    switch (s.k) {
      case 'while':
      case 'repeat':
      case 'fornum':
      case 'forin':
        r = true;
        break;
      case 'do':
        r = s.body.some((x) => this.needsLabels(x));
        break;
      case 'if':
        r =
          this.hasCall(s) ||
          s.blocks.some((b) => b.some((x) => this.needsLabels(x))) ||
          (s.orelse !== null && s.orelse.some((x) => this.needsLabels(x)));
        break;
      default:
        r = this.hasCall(s);
    }
    this.labelCache.set(s, r);
    return r;
  }

  // ---- names for error messages ----

  private nameOf(e: Expr): string | null {
    switch (e.k) {
      case 'local':
        return `local '${e.v.name}'`;
      case 'upval':
        return `upvalue '${e.name}'`;
      case 'global':
        return `global '${e.name}'`;
      case 'index':
        return `field '${e.key.k === 'str' ? e.key.v : '?'}'`;
      case 'paren':
        return e.e.k === 'call' || e.e.k === 'method' || e.e.k === 'vararg' ? null : this.nameOf(e.e);
      default:
        return null;
    }
  }

  private callName(e: Expr): [string, string] | null {
    switch (e.k) {
      case 'local':
        return ['local', e.v.name];
      case 'upval':
        return ['upvalue', e.name];
      case 'global':
        return ['global', e.name];
      case 'index':
        return ['field', e.key.k === 'str' ? e.key.v : '?'];
      case 'paren':
        return e.e.k === 'call' || e.e.k === 'method' || e.e.k === 'vararg' ? null : this.callName(e.e);
      default:
        return null;
    }
  }

  // ---- generation ----

  generate(): string {
    const node = this.node;
    const prologue: string[] = [];
    this.site(node.line); // site 0: function entry
    // parameters
    for (const p of node.params) {
      const k = this.allocSlot();
      this.declare(p, k);
      prologue.push(p.captured ? `s${k} = { v: A[${k}] };` : `s${k} = A[${k}];`);
    }
    const np = node.params.length;
    if (node.isVararg) prologue.push(`fr.va = A.length > ${np} ? A.slice(${np}) : NONE;`);
    if (node.argVar !== null) {
      const k = this.allocSlot();
      this.declare(node.argVar, k);
      const init = node.usesVararg ? 'undefined' : 'L.argTable(fr.va)';
      prologue.push(node.argVar.captured ? `s${k} = { v: ${init} };` : `s${k} = ${init};`);
    }
    this.block(node.body);
    this.emit('L.r1 = undefined; L.rs = NONE; L.rn = 0; L.frame = fr.parent; return;');

    const slots = Array.from({ length: this.maxTop }, (_, i) => 's' + i);
    const scratch = Array.from({ length: this.scratch }, (_, i) => 'x' + i);
    const restore: string[] = [];
    const save: string[] = [];
    for (let i = this.maxTop; i >= 1; i--) {
      restore.push(`case ${i}: s${i - 1} = R[${i - 1}];`);
      save.push(`case ${i}: R[${i - 1}] = s${i - 1};`);
    }
    const lines: string[] = [];
    lines.push(`function F${this.id}(L, fr) {`);
    lines.push('const FN = fr.fn, U = FN.upvals;');
    if (slots.length) lines.push(`let ${slots.join(', ')};`);
    if (scratch.length) lines.push(`let ${scratch.join(', ')};`);
    lines.push('let pc = fr.pc, T = 0;');
    lines.push('if (pc === 0) {');
    lines.push('if (--L.budget < 0) return;');
    if (prologue.length) {
      lines.push('const A = fr.args;');
      lines.push(...prologue);
    }
    if (restore.length) {
      lines.push(`} else {\nconst R = fr.r;\nswitch (TOPS${this.id}[pc]) {`);
      lines.push(...restore);
      lines.push('}');
    }
    lines.push('}');
    lines.push('out: for (;;) {\nswitch (pc) {\ncase 0:');
    lines.push(...this.out);
    lines.push('}\n}');
    if (save.length) {
      lines.push(`const R = fr.r === null ? (fr.r = new Array(${this.maxTop})) : fr.r;`);
      lines.push('switch (T) {');
      lines.push(...save);
      lines.push('}');
    }
    lines.push('}');
    return lines.join('\n');
  }

  /** Marks a label as a resume point with `top` live slots. */
  private resumePoint(id: number, top: number): void {
    this.proto.tops[id] = top;
  }

  private suspendAt(id: number, top: number): string {
    this.resumePoint(id, top);
    return `{ fr.pc = ${id}; T = ${top}; break out; }`;
  }

  // ---- blocks and statements ----

  private block(stats: Stat[]): void {
    const nActive = this.active.length;
    const top = this.top;
    for (const s of stats) this.stat(s);
    this.undeclare(nActive);
    this.top = top;
  }

  private declare(v: LocalVar, slot: number): void {
    this.slotOf.set(v, slot);
    this.active.push(v);
    this.localSlots.add(slot);
  }

  /** Ends the scope of the locals declared after the first `n` active ones. */
  private undeclare(n: number): void {
    for (let i = this.active.length - 1; i >= n; i--) {
      const slot = this.slotOf.get(this.active[i])!;
      this.slotOf.delete(this.active[i]);
      this.localSlots.delete(slot);
    }
    this.active.length = n;
  }

  private stat(s: Stat): void {
    const base = this.top;
    switch (s.k) {
      case 'local':
        this.localStat(s.vars, s.exprs);
        return; // keeps its slots
      case 'localfunc': {
        const k = this.allocSlot();
        this.declare(s.v, k);
        if (s.v.captured) {
          this.emit(`s${k} = { v: undefined };`);
          this.emit(`s${k}.v = ${this.closure(s.f)};`);
        } else this.emit(`s${k} = ${this.closure(s.f)};`);
        return;
      }
      case 'assign':
        this.assign(s.targets, s.exprs, s.line);
        break;
      case 'call':
        this.callExpr(s.call, 0);
        break;
      case 'do':
        this.block(s.body);
        break;
      case 'while':
        this.whileStat(s.cond, s.body);
        break;
      case 'repeat':
        this.repeatStat(s.body, s.cond);
        break;
      case 'if':
        this.ifStat(s);
        break;
      case 'fornum':
        this.forNum(s);
        break;
      case 'forin':
        this.forIn(s);
        break;
      case 'return':
        this.returnStat(s.exprs);
        break;
      case 'break':
        this.emit(this.jump(this.loopExits[this.loopExits.length - 1]));
        break;
    }
    this.top = base;
  }

  private localStat(vars: LocalVar[], exprs: Expr[]): void {
    const base = this.top;
    const n = vars.length;
    let filled = 0;
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i];
      const last = i === exprs.length - 1;
      if (i < n && last && isMulti(e) && n > i + 1) {
        // the last expression fills the remaining variables
        const want = n - i;
        const slots: number[] = [];
        for (let j = 0; j < want; j++) slots.push(base + i + j);
        this.multiTo(e, slots);
        this.top = base + n;
        if (this.top > this.maxTop) this.maxTop = this.top;
        filled = n;
        break;
      }
      if (i < n) {
        const v = this.ex(e);
        this.top = base + i;
        const k = this.allocSlot();
        this.emit(`s${k} = ${v};`);
        filled = i + 1;
      } else {
        // extra values are evaluated for their effects
        const v = this.ex(e);
        if (!isSimple(v)) this.emit(`${v};`);
      }
    }
    for (let i = filled; i < n; i++) {
      this.top = base + i;
      const k = this.allocSlot();
      this.emit(`s${k} = undefined;`);
    }
    this.top = base + n;
    if (this.top > this.maxTop) this.maxTop = this.top;
    for (let i = 0; i < n; i++) {
      if (vars[i].captured) this.emit(`s${base + i} = { v: s${base + i} };`);
      this.declare(vars[i], base + i);
    }
  }

  /** Evaluates a multi-value expression into consecutive slots (adjusting to their count). */
  private multiTo(e: Expr, slots: number[]): void {
    if (e.k === 'vararg') {
      slots.forEach((k, j) => this.emit(`s${k} = fr.va[${j}];`));
      return;
    }
    this.callExpr(e, slots.length);
    slots.forEach((k, j) => {
      if (j === 0) this.emit(`s${k} = L.r1;`);
      else this.emit(`s${k} = L.rn > ${j} ? L.rs[${j}] : undefined;`);
    });
  }

  private assign(targets: Expr[], exprs: Expr[], line: number): void {
    // single assignment: no temporaries needed
    if (targets.length === 1 && exprs.length === 1) {
      const t = targets[0];
      if (t.k === 'index') {
        const o = this.operand(t.obj, [t.key, exprs[0]], true);
        const k = this.operand(t.key, [exprs[0]], true);
        const v = this.simple(this.ex(exprs[0]));
        this.store(t, o, k, v, line);
      } else {
        const v = this.ex(exprs[0]);
        this.store(t, '', '', this.storeValue(t, v), line);
      }
      return;
    }
    const later = (i: number): Expr[] => [
      ...targets.slice(i + 1).flatMap((t) => (t.k === 'index' ? [t.obj, t.key] : [])),
      ...exprs,
    ];
    const objs: string[] = [];
    const keys: string[] = [];
    const copy = (e: Expr, rest: Expr[]): string => {
      const v = this.ex(e);
      if (rest.some((x) => this.hasCall(x))) return this.protect(v, false);
      return isLiteral(v) ? v : this.toScratch(v);
    };
    targets.forEach((t, i) => {
      if (t.k === 'index') {
        // table and key are read when the assignment happens (register operands in Lua)...
        objs.push(this.operand(t.obj, [t.key, ...later(i)], true));
        keys.push(this.operand(t.key, later(i), true));
        return;
      }
      objs.push('');
      keys.push('');
      if (t.k !== 'local') return;
      // ...unless a later target assigns that local: then they use its value
      // as of now (lparser.c's check_conflict)
      const read = this.ex(t);
      const rest = [...later(i)];
      let copied: string | null = null;
      for (let p = 0; p < i; p++) {
        if (objs[p] !== read && keys[p] !== read) continue;
        if (copied === null) copied = rest.some((x) => this.hasCall(x)) ? this.protect(read, false) : this.toScratch(read);
        if (objs[p] === read) objs[p] = copied;
        if (keys[p] === read) keys[p] = copied;
      }
    });
    const n = targets.length;
    const values: string[] = [];
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i];
      const last = i === exprs.length - 1;
      if (last && isMulti(e) && n > i) {
        const want = n - i;
        const slots: number[] = [];
        for (let j = 0; j < want; j++) slots.push(this.allocSlot());
        this.multiTo(e, slots);
        for (const k of slots) values.push('s' + k);
        break;
      }
      const rest = exprs.slice(i + 1);
      if (i < n) values.push(copy(e, rest));
      else {
        const v = this.ex(e);
        if (!isSimple(v)) this.emit(`${v};`);
      }
    }
    while (values.length < n) values.push('undefined');
    for (let i = n - 1; i >= 0; i--) this.store(targets[i], objs[i], keys[i], values[i], line);
  }

  private storeValue(t: Expr, v: string): string {
    return t.k === 'global' || t.k === 'index' ? this.simple(v) : v;
  }

  private store(t: Expr, o: string, k: string, v: string, line: number): void {
    switch (t.k) {
      case 'local': {
        const slot = this.slotOf.get(t.v)!;
        this.emit(t.v.captured ? `s${slot}.v = ${v};` : `s${slot} = ${v};`);
        return;
      }
      case 'upval':
        this.emit(`U[${t.i}].v = ${v};`);
        return;
      case 'global': {
        const site = this.site(line);
        this.emit(`L.setGlobal(FN.env, ${JSON.stringify(t.name)}, ${v}, ${site});`);
        return;
      }
      case 'index': {
        o = this.objText(o);
        const site = this.site(line, this.nameOf(t.obj));
        if (t.key.k === 'str')
          this.emit(
            `if (${o} instanceof LT && ${o}.metatable === null && !${o}.readonly) ${o}.setStr(${k}, ${v}); else L.setIndex(${o}, ${k}, ${v}, ${site});`,
          );
        else if (t.key.k === 'num')
          this.emit(
            `if (${o} instanceof LT && ${o}.metatable === null && !${o}.readonly) ${o}.set(${k}, ${v}); else L.setIndex(${o}, ${k}, ${v}, ${site});`,
          );
        else
          this.emit(
            `if (${o} instanceof LT && ${o}.metatable === null && !${o}.readonly && ${k} !== undefined && ${k} === ${k}) ${o}.set(${k}, ${v}); else L.setIndex(${o}, ${k}, ${v}, ${site});`,
          );
        return;
      }
      default:
        throw new Error('bad assignment target');
    }
  }

  private ifStat(s: Extract<Stat, { k: 'if' }>): void {
    if (!this.needsLabels(s)) {
      this.nativeIf(s, 0);
      return;
    }
    const end = this.site(0);
    for (let i = 0; i < s.conds.length; i++) {
      const next = this.site(0);
      const c = this.cond(s.conds[i]);
      this.emit(`if (!(${c})) ${this.jump(next)}`);
      this.block(s.blocks[i]);
      this.emit(this.jump(end));
      this.emitLabel(next);
    }
    if (s.orelse !== null) this.block(s.orelse);
    this.emitLabel(end);
  }

  private nativeIf(s: Extract<Stat, { k: 'if' }>, i: number): void {
    const c = this.cond(s.conds[i]);
    this.emit(`if (${c}) {`);
    this.block(s.blocks[i]);
    if (i + 1 < s.conds.length) {
      this.emit('} else {');
      this.nativeIf(s, i + 1);
      this.emit('}');
    } else if (s.orelse !== null) {
      this.emit('} else {');
      this.block(s.orelse);
      this.emit('}');
    } else this.emit('}');
  }

  private backEdge(head: number): void {
    this.emit(`if (--L.budget < 0) ${this.suspendAt(head, this.top)}`);
    this.emit(this.jump(head));
  }

  private whileStat(cond: Expr, body: Stat[]): void {
    const head = this.site(0);
    const exit = this.site(0);
    this.emitLabel(head);
    this.resumePoint(head, this.top);
    const c = this.cond(cond);
    this.emit(`if (!(${c})) ${this.jump(exit)}`);
    this.loopExits.push(exit);
    this.block(body);
    this.loopExits.pop();
    this.backEdge(head);
    this.emitLabel(exit);
  }

  private repeatStat(body: Stat[], cond: Expr): void {
    const head = this.site(0);
    const exit = this.site(0);
    this.emitLabel(head);
    this.resumePoint(head, this.top);
    this.loopExits.push(exit);
    // the condition sees the body's locals
    const nActive = this.active.length;
    const top = this.top;
    for (const s of body) this.stat(s);
    this.loopExits.pop();
    const c = this.cond(cond);
    this.undeclare(nActive);
    this.top = top;
    this.emit(`if (!(${c})) {`);
    this.backEdge(head);
    this.emit('}');
    this.emitLabel(exit);
  }

  private forNum(s: Extract<Stat, { k: 'fornum' }>): void {
    const base = this.top;
    const i0 = this.allocSlot();
    this.emit(`s${i0} = ${this.ex(s.start)};`);
    const i1 = this.allocSlot();
    this.emit(`s${i1} = ${this.ex(s.limit)};`);
    const i2 = this.allocSlot();
    const stepConst = s.step === null ? 1 : s.step.k === 'num' ? s.step.v : null;
    this.emit(`s${i2} = ${s.step === null ? '1' : this.ex(s.step)};`);
    const site = this.site(s.line);
    this.emit(`if (typeof s${i0} !== 'number') s${i0} = L.forNum(s${i0}, 0, ${site});`);
    this.emit(`if (typeof s${i1} !== 'number') s${i1} = L.forNum(s${i1}, 1, ${site});`);
    if (stepConst === null) this.emit(`if (typeof s${i2} !== 'number') s${i2} = L.forNum(s${i2}, 2, ${site});`);
    this.emit(`s${i0} = s${i0} - s${i2};`);
    const head = this.site(s.line);
    const exit = this.site(s.line);
    this.emitLabel(head);
    this.resumePoint(head, this.top);
    this.emit(`s${i0} += s${i2};`);
    const test =
      stepConst === null
        ? `(0 < s${i2} ? s${i0} <= s${i1} : s${i1} <= s${i0})`
        : stepConst > 0
          ? `s${i0} <= s${i1}`
          : `s${i1} <= s${i0}`;
    this.emit(`if (!(${test})) ${this.jump(exit)}`);
    const v = this.allocSlot();
    this.emit(s.v.captured ? `s${v} = { v: s${i0} };` : `s${v} = s${i0};`);
    this.declare(s.v, v);
    this.loopExits.push(exit);
    this.block(s.body);
    this.loopExits.pop();
    this.undeclare(this.active.length - 1);
    this.top = base + 3;
    this.backEdge(head);
    this.emitLabel(exit);
    this.top = base;
  }

  private forIn(s: Extract<Stat, { k: 'forin' }>): void {
    const base = this.top;
    const f = base;
    const st = base + 1;
    const ctl = base + 2;
    // explist adjusted to 3 values
    const exprs = s.exprs;
    let filled = 0;
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i];
      if (i === exprs.length - 1 && isMulti(e) && i < 3) {
        const slots: number[] = [];
        for (let j = i; j < 3; j++) slots.push(base + j);
        this.top = base + i;
        this.multiTo(e, slots);
        filled = 3;
        break;
      }
      const v = this.ex(e);
      if (i < 3) {
        this.top = base + i;
        const k = this.allocSlot();
        this.emit(`s${k} = ${v};`);
        filled = i + 1;
      } else if (!isSimple(v)) this.emit(`${v};`);
    }
    for (let j = filled; j < 3; j++) this.emit(`s${base + j} = undefined;`);
    this.top = base + 3;
    if (this.top > this.maxTop) this.maxTop = this.top;
    const nv = s.vars.length;
    const vs: number[] = [];
    for (let j = 0; j < nv; j++) vs.push(this.allocSlot());
    this.top = base + 3;
    const head = this.site(s.line);
    const call = this.site(s.line);
    const bodyL = this.site(s.line);
    const exit = this.site(s.line);
    this.emitLabel(head);
    this.resumePoint(head, base + 3);
    // pairs/next and ipairs run inline
    {
      const x = this.newScratch();
      const lines: string[] = [];
      lines.push(`if (s${f} === L.nextFn && s${st} instanceof LT) {`);
      lines.push(`${x} = s${st}.nextIndex(s${ctl});`);
      lines.push(`if (${x} < 0) { if (${x} === -2) L.badNextKey(); ${this.jump(exit)} }`);
      lines.push(`s${vs[0]} = s${st}.keyAt(${x});`);
      if (nv > 1) lines.push(`s${vs[1]} = s${st}.valueAt(${x});`);
      for (let j = 2; j < nv; j++) lines.push(`s${vs[j]} = undefined;`);
      lines.push(this.jump(bodyL));
      lines.push('}');
      lines.push(`if (s${f} === L.ipairsIter && s${st} instanceof LT && typeof s${ctl} === 'number') {`);
      lines.push(`${x} = s${st}.getInt(s${ctl} + 1);`);
      lines.push(`if (${x} === undefined) ${this.jump(exit)}`);
      lines.push(`s${vs[0]} = s${ctl} + 1;`);
      if (nv > 1) lines.push(`s${vs[1]} = ${x};`);
      for (let j = 2; j < nv; j++) lines.push(`s${vs[j]} = undefined;`);
      lines.push(this.jump(bodyL));
      lines.push('}');
      for (const l of lines) this.emit(l);
    }
    this.emit(`fr.pc = ${call}; if (L.call(s${f}, [s${st}, s${ctl}]) && L.runCallee(fr)) ${this.suspendAt(call, base + 3)}`);
    this.emitLabel(call);
    vs.forEach((k, j) => {
      if (j === 0) this.emit(`s${k} = L.r1;`);
      else this.emit(`s${k} = L.rn > ${j} ? L.rs[${j}] : undefined;`);
    });
    this.emit(`if (s${vs[0]} === undefined) ${this.jump(exit)}`);
    this.emitLabel(bodyL);
    this.emit(`s${ctl} = s${vs[0]};`);
    this.top = base + 3 + nv;
    for (let j = 0; j < nv; j++) {
      if (s.vars[j].captured) this.emit(`s${vs[j]} = { v: s${vs[j]} };`);
      this.declare(s.vars[j], vs[j]);
    }
    this.loopExits.push(exit);
    this.block(s.body);
    this.loopExits.pop();
    this.undeclare(this.active.length - nv);
    this.top = base + 3;
    this.backEdge(head);
    this.emitLabel(exit);
    this.top = base;
    void call;
  }

  private returnStat(exprs: Expr[]): void {
    if (exprs.length === 0) {
      this.emit('L.r1 = undefined; L.rs = NONE; L.rn = 0; L.frame = fr.parent; return;');
      return;
    }
    if (exprs.length === 1) {
      const e = exprs[0];
      if (e.k === 'call' || e.k === 'method') {
        this.tailCall(e);
        return;
      }
      if (e.k === 'vararg') {
        this.emit('L.setResults(fr.va); L.frame = fr.parent; return;');
        return;
      }
      const v = this.ex(e);
      this.emit(`L.r1 = ${v}; L.rn = 1; L.frame = fr.parent; return;`);
      return;
    }
    const list = this.valueList(exprs);
    this.emit(`L.setResults(${list}); L.frame = fr.parent; return;`);
  }

  // ---- calls ----

  /**
   * Evaluates the function and arguments of a call, then emits the call.
   * want: 0 (statement), 1, n, or -1 (all results). Returns the text of the
   * first result (want 1) or of the result array (want -1).
   */
  private callExpr(e: Expr, want: number): string {
    const base = this.top;
    const { fn, args, siteId } = this.callParts(e);
    this.emit(`fr.pc = ${siteId}; if (L.call(${fn}, ${args}) && L.runCallee(fr)) ${this.suspendAt(siteId, base)}`);
    this.emitLabel(siteId);
    this.top = base;
    if (want === 1) return this.toScratch('L.r1');
    if (want === -1) return this.toScratch('L.results()');
    return '';
  }

  private tailCall(e: Expr): void {
    const base = this.top;
    const { fn, args, siteId } = this.callParts(e);
    this.emit(`fr.pc = ${siteId}; if (L.tailCall(fr, ${fn}, ${args})) return;`);
    this.resumePoint(siteId, 0);
    this.emitLabel(siteId);
    this.emit('L.frame = fr.parent; return;');
    this.top = base;
  }

  private callParts(e: Expr): { fn: string; args: string; siteId: number } {
    let fn: string;
    let argExprs: Expr[];
    let self: string | null = null;
    let siteId: number;
    if (e.k === 'method') {
      argExprs = e.args;
      const argsHaveCalls = argExprs.some((a) => this.hasCall(a));
      const o = this.ex(e.obj);
      self = argsHaveCalls ? this.protect(o, false) : this.simple(o);
      const lookupSite = this.site(e.line, this.nameOf(e.obj));
      const f = `L.index(${self}, ${JSON.stringify(e.name)}, ${lookupSite})`;
      fn = argsHaveCalls ? this.protect(f, false) : this.toScratch(f);
      siteId = this.site(e.line, `method '${e.name}'`);
      this.proto.siteCall[siteId] = ['method', e.name];
    } else if (e.k === 'call') {
      argExprs = e.args;
      const argsHaveCalls = argExprs.some((a) => this.hasCall(a));
      const f = this.ex(e.fn);
      fn = argsHaveCalls ? this.protect(f, false) : this.simple(f);
      siteId = this.site(e.line, this.nameOf(e.fn));
      this.proto.siteCall[siteId] = this.callName(e.fn);
    } else throw new Error('not a call');
    const parts: string[] = self === null ? [] : [self];
    let multi: string | null = null;
    for (let i = 0; i < argExprs.length; i++) {
      const a = argExprs[i];
      const rest = argExprs.slice(i + 1);
      if (i === argExprs.length - 1 && isMulti(a)) {
        multi = this.multiValues(a);
        break;
      }
      const v = this.ex(a);
      parts.push(rest.some((x) => this.hasCall(x)) ? this.protect(v, false) : this.simple(v));
    }
    let args: string;
    if (multi === null) args = `[${parts.join(', ')}]`;
    else if (parts.length === 0) args = multi;
    else args = `[${parts.join(', ')}, ...${multi}]`;
    return { fn, args, siteId };
  }

  /** All values of a call or `...`, as array text. */
  private multiValues(e: Expr): string {
    if (e.k === 'vararg') return 'fr.va';
    return this.callExpr(e, -1);
  }

  /** An expression list as array text (the last one expanded). */
  private valueList(exprs: Expr[]): string {
    const parts: string[] = [];
    for (let i = 0; i < exprs.length; i++) {
      const e = exprs[i];
      const rest = exprs.slice(i + 1);
      if (i === exprs.length - 1 && isMulti(e)) {
        const m = this.multiValues(e);
        return parts.length === 0 ? m : `[${parts.join(', ')}, ...${m}]`;
      }
      const v = this.ex(e);
      parts.push(rest.some((x) => this.hasCall(x)) ? this.protect(v, false) : this.simple(v));
    }
    return `[${parts.join(', ')}]`;
  }

  // ---- expressions ----

  private num(v: number): string {
    const c = this.numConsts.get(v);
    if (c === undefined) this.numConsts.set(v, v);
    else v = c;
    if (Object.is(v, -0)) return '(-0)';
    if (v === Infinity) return 'Infinity';
    if (v === -Infinity) return '(-Infinity)';
    if (Number.isNaN(v)) return 'NaN';
    return v < 0 ? `(${String(v)})` : String(v);
  }

  /** Compiles an expression to JavaScript text for its (first) value. */
  ex(e: Expr): string {
    switch (e.k) {
      case 'nil':
        return 'undefined';
      case 'true':
        return 'true';
      case 'false':
        return 'false';
      case 'num':
        return this.num(e.v);
      case 'str':
        return JSON.stringify(e.v);
      case 'vararg':
        return 'fr.va[0]';
      case 'func':
        return this.closure(e.f);
      case 'local': {
        const k = this.slotOf.get(e.v)!;
        return e.v.captured ? `s${k}.v` : `s${k}`;
      }
      case 'upval':
        return `U[${e.i}].v`;
      case 'global': {
        const site = this.site(e.line);
        const name = JSON.stringify(e.name);
        const x = this.newScratch();
        return `((${x} = FN.env.getStrH(${name}, ${stringHash(e.name)})) !== undefined ? ${x} : L.getGlobal(FN.env, ${name}, ${site}))`;
      }
      case 'index': {
        const mark = this.top;
        const o = this.objText(this.operand(e.obj, [e.key], true));
        const k = this.simple(this.ex(e.key));
        this.top = mark;
        const site = this.site(e.line, this.nameOf(e.obj));
        const x = this.newScratch();
        const get = e.key.k === 'str' ? `getStrH(${k}, ${stringHash(e.key.v)})` : `get(${k})`;
        return `(${o} instanceof LT && (${x} = ${o}.${get}) !== undefined ? ${x} : L.index(${o}, ${k}, ${site}))`;
      }
      case 'call':
      case 'method':
        return this.callExpr(e, 1);
      case 'paren':
        return this.ex(e.e);
      case 'bin':
        return this.binary(e);
      case 'concat':
        return this.concat(e);
      case 'and':
      case 'or':
        return this.andOr(e);
      case 'not': {
        const a = this.simple(this.ex(e.a));
        return `(${a} === undefined || ${a} === false)`;
      }
      case 'neg': {
        const a = this.simple(this.ex(e.a));
        const site = this.site(e.line, this.nameOf(e.a));
        return `(typeof ${a} === 'number' ? -${a} : L.unm(${a}, ${site}))`;
      }
      case 'len': {
        const a = this.objText(this.simple(this.ex(e.a)));
        const site = this.site(e.line, this.nameOf(e.a));
        return `(typeof ${a} === 'string' ? ${a}.length : ${a} instanceof LT ? ${a}.length() : L.len(${a}, ${site}))`;
      }
      case 'table':
        return this.table(e);
    }
  }

  /** A condition as JavaScript boolean text. */
  private cond(e: Expr): string {
    switch (e.k) {
      case 'nil':
      case 'false':
        return 'false';
      case 'true':
      case 'num':
      case 'str':
        return 'true';
      case 'not':
        if (!this.hasCall(e)) return `!(${this.cond(e.a)})`;
        break;
      case 'and':
      case 'or': {
        if (this.hasCall(e)) break;
        const ca = this.cond(e.a);
        const [cb, stmts] = this.deferred(() => this.cond(e.b));
        const op = e.k === 'and' ? '&&' : '||';
        if (stmts.length === 0) return `(${ca} ${op} ${cb})`;
        const x = this.newScratch();
        this.emit(`${x} = ${ca};`);
        this.emit(`if (${e.k === 'and' ? x : '!' + x}) {`);
        for (const st of stmts) this.emit(st);
        this.emit(`${x} = ${cb};`);
        this.emit('}');
        return x;
      }
      case 'bin':
        if (isComparison(e.op)) return this.binary(e);
        break;
      default:
        break;
    }
    const v = this.simple(this.ex(e));
    return `(${v} !== undefined && ${v} !== false)`;
  }

  /** Compiles `e` with its statements collected separately (for code that runs only if reached). */
  private deferred<T>(f: () => T): [T, string[]] {
    const saved = this.out;
    this.out = [];
    const r = f();
    const stmts = this.out;
    this.out = saved;
    return [r, stmts];
  }

  private binary(e: Extract<Expr, { k: 'bin' }>): string {
    const mark = this.top;
    const a = this.operand(e.a, [e.b], true);
    const b = this.simple(this.ex(e.b));
    this.top = mark;
    const op = e.op;
    if (isComparison(op)) {
      switch (op) {
        case '==':
          return this.eqText(a, b);
        case '~=':
          return `!${this.eqText(a, b)}`;
        case '<': {
          const site = this.site(e.line);
          return this.cmpText(a, b, '<', 'lt', site);
        }
        case '<=': {
          const site = this.site(e.line);
          return this.cmpText(a, b, '<=', 'le', site);
        }
        case '>': {
          const site = this.site(e.line);
          return this.cmpText(b, a, '<', 'lt', site);
        }
        default: {
          const site = this.site(e.line);
          return this.cmpText(b, a, '<=', 'le', site);
        }
      }
    }
    const site = this.site(e.line, this.nameOf(e.a), this.nameOf(e.b));
    const code = ARITH_CODE[op];
    let expr: string;
    switch (op) {
      case '+':
      case '-':
      case '*':
      case '/':
        expr = `${a} ${op} ${b}`;
        break;
      case '%':
        expr = `${a} - Math.floor(${a} / ${b}) * ${b}`;
        break;
      default:
        expr = `Math.pow(${a}, ${b})`;
    }
    const aNum = /^[\d(I]/.test(a) && isLiteral(a);
    const bNum = /^[\d(I]/.test(b) && isLiteral(b);
    if (aNum && bNum) {
      // not folded by the parser: a division or modulo by zero; x86 makes NaN negative
      const r = arithRaw(Number(a.replace(/[()]/g, '')), Number(b.replace(/[()]/g, '')), code);
      if (Number.isNaN(r)) return 'NEGNAN';
      return this.num(r);
    }
    const test = aNum && bNum ? 'true' : aNum ? `typeof ${b} === 'number'` : bNum ? `typeof ${a} === 'number'` : `typeof ${a} === 'number' && typeof ${b} === 'number'`;
    return `(${test} ? ${expr} : L.arith(${a}, ${b}, ${code}, ${site}))`;
  }

  private eqText(a: string, b: string): string {
    if (isLiteral(a) || isLiteral(b)) return `(${a} === ${b})`;
    return `(${a} === ${b} || (typeof ${a} === 'object' && typeof ${b} === 'object' && L.eq(${a}, ${b})))`;
  }

  private cmpText(a: string, b: string, op: string, fn: string, site: number): string {
    return `(typeof ${a} === 'number' && typeof ${b} === 'number' ? ${a} ${op} ${b} : L.${fn}(${a}, ${b}, ${site}))`;
  }

  private concat(e: Extract<Expr, { k: 'concat' }>): string {
    const items: string[] = [];
    const mark = this.top;
    for (let i = 0; i < e.items.length; i++) items.push(this.operand(e.items[i], e.items.slice(i + 1), false));
    this.top = mark;
    const site = this.site(e.line);
    this.proto.siteNames[site] = e.items.map((x) => this.nameOf(x));
    const allStr = items.map((x) => `typeof ${x} === 'string'`).join(' && ');
    if (items.length === 2) return `(${allStr} ? ${items[0]} + ${items[1]} : L.concat2(${items[0]}, ${items[1]}, ${site}))`;
    return `(${allStr} ? ${items.join(' + ')} : L.concat([${items.join(', ')}], ${site}))`;
  }

  private andOr(e: Extract<Expr, { k: 'and' | 'or' }>): string {
    const isAnd = e.k === 'and';
    if (!this.hasCall(e.b)) {
      const a = this.simple(this.ex(e.a));
      const [b, stmts] = this.deferred(() => this.ex(e.b));
      const falsy = `(${a} === undefined || ${a} === false)`;
      if (stmts.length === 0) return isAnd ? `(${falsy} ? ${a} : ${b})` : `(${falsy} ? ${b} : ${a})`;
      const x = this.newScratch();
      this.emit(`${x} = ${a};`);
      this.emit(`if (${isAnd ? '!' : ''}${falsy}) {`);
      for (const st of stmts) this.emit(st);
      this.emit(`${x} = ${b};`);
      this.emit('}');
      return x;
    }
    // the right side calls: jumps around its code
    const k = this.allocSlot();
    const done = this.site(0);
    this.emit(`s${k} = ${this.ex(e.a)};`);
    const falsy = `(s${k} === undefined || s${k} === false)`;
    this.emit(`if (${isAnd ? falsy : `!${falsy}`}) ${this.jump(done)}`);
    const b = this.ex(e.b);
    this.emit(`s${k} = ${b};`);
    this.emitLabel(done);
    this.top = k;
    return 's' + k;
  }

  private closure(f: FuncNode): string {
    const id = this.chunk.func(f);
    const cells = f.upvals.map((u) => (u.fromLocal !== null ? `s${this.slotOf.get(u.fromLocal)!}` : `U[${u.fromUpval}]`));
    return `new LC(P[${id}], [${cells.join(', ')}], FN.env)`;
  }

  private table(e: Extract<Expr, { k: 'table' }>): string {
    const anyCall = e.items.some((it) => this.hasCall(it.v) || (it.k === 'named' && this.hasCall(it.key)));
    const na = roundSizeHint(e.narray);
    const nh = roundSizeHint(e.nhash);
    const create = `new LT(${na}, ${nh})`;
    if (e.items.length === 0) return create;
    const tpl = this.tableTemplate(e);
    if (tpl !== null) return this.templateTable(e, tpl, na, nh);
    const mark = this.top;
    const t = anyCall ? this.protect(create, false) : this.toScratch(create);
    let pending: string[] = [];
    let next = 1;
    const flush = (multi: string | null): void => {
      pending.forEach((v, i) => this.emit(`${t}.setInt(${next + i}, ${v});`));
      next += pending.length;
      if (multi !== null) this.emit(`L.setList(${t}, ${next}, ${multi});`);
      pending = [];
    };
    const items = e.items;
    const laterOf = (i: number): Expr[] =>
      items.slice(i + 1).flatMap((it: TableItem) => (it.k === 'named' ? [it.key, it.v] : [it.v]));
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (pending.length === LFIELDS_PER_FLUSH) flush(null);
      if (it.k === 'named') {
        const k = this.operand(it.key, [it.v], false);
        const v = this.simple(this.ex(it.v));
        const site = this.site(it.line);
        this.emit(`L.checkKey(${k}, ${site}); ${t}.set(${k}, ${v});`);
      } else if (i === items.length - 1 && isMulti(it.v)) {
        flush(this.multiValues(it.v));
        this.top = mark;
        return t;
      } else {
        const v = this.ex(it.v);
        pending.push(laterOf(i).some((x) => this.hasCall(x)) ? this.protect(v, false) : this.simple(v));
      }
    }
    flush(null);
    this.top = mark;
    return t;
  }

  /** The constant keys of a constructor's record fields, if all are constants. */
  private tableTemplate(e: Extract<Expr, { k: 'table' }>): { id: number; slots: number[] } | null {
    const keys: (string | number | boolean)[] = [];
    for (const it of e.items) {
      if (it.k !== 'named') continue;
      const k = it.key;
      if (k.k === 'str' || k.k === 'num') keys.push(k.v);
      else if (k.k === 'true' || k.k === 'false') keys.push(k.k === 'true');
      else return null;
    }
    if (keys.length === 0 || keys.length > 64) return null;
    const r = makeTemplate(roundSizeHint(e.nhash), keys);
    if (r === null) return null;
    this.chunk.templates.push(r.tpl);
    return { id: this.chunk.templates.length - 1, slots: r.slots };
  }

  /**
   * A constructor whose record keys are constants: its node part is a copy
   * of a precomputed layout, filled with the values (unless one is nil,
   * which changes where Lua puts the following keys: then it is built key
   * by key).
   */
  private templateTable(e: Extract<Expr, { k: 'table' }>, tpl: { id: number; slots: number[] }, na: number, nh: number): string {
    const mark = this.top;
    const items = e.items;
    const laterOf = (i: number): Expr[] => items.slice(i + 1).map((it: TableItem) => it.v);
    const named: string[] = [];
    const keyText: string[] = [];
    const positional: string[] = [];
    let multi: string | null = null;
    for (let i = 0; i < items.length; i++) {
      const it = items[i];
      if (it.k === 'pos' && i === items.length - 1 && isMulti(it.v)) {
        multi = this.multiValues(it.v);
        break;
      }
      const v = this.ex(it.v);
      const keep = laterOf(i).some((x) => this.hasCall(x)) ? this.protect(v, false) : this.simple(v);
      if (it.k === 'named') {
        named.push(keep);
        keyText.push(this.ex(it.key));
      } else positional.push(keep);
    }
    const t = this.newScratch();
    const nonNil = named.filter((v) => !isLiteral(v) || v === 'undefined').map((v) => `${v} !== undefined`);
    const fill = named.map((v, i) => `${t}.node[${tpl.slots[i]}] = ${v};`).join(' ');
    const slow = `${t} = L.tableByKeys(${na}, ${nh}, [${named.map((v, i) => `${keyText[i]}, ${v}`).join(', ')}]);`;
    if (named.includes('undefined')) this.emit(slow);
    else if (nonNil.length === 0) this.emit(`${t} = LT.fromTemplate(${na}, TPL[${tpl.id}]); ${fill}`);
    else this.emit(`if (${nonNil.join(' && ')}) { ${t} = LT.fromTemplate(${na}, TPL[${tpl.id}]); ${fill} } else ${slow}`);
    positional.forEach((v, i) => this.emit(`${t}.setInt(${i + 1}, ${v});`));
    if (multi !== null) this.emit(`L.setList(${t}, ${positional.length + 1}, ${multi});`);
    this.top = mark;
    return t;
  }
}

const ARITH_CODE: Record<string, number> = { '+': 0, '-': 1, '*': 2, '/': 3, '%': 4, '^': 5 };

function isComparison(op: string): boolean {
  return op === '==' || op === '~=' || op === '<' || op === '<=' || op === '>' || op === '>=';
}
