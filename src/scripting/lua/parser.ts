// The Lua 5.1 parser (lparser.c's grammar, limits and error messages),
// building the tree of ast.ts with names resolved as it goes.

import type { BinOp, Expr, FuncNode, LocalVar, Stat, TableItem, UpvalDesc } from './ast.js';
import { isMulti } from './ast.js';
import { Lexer, tokenToString, type TokenType } from './lexer.js';

const LUAI_MAXVARS = 200;
const LUAI_MAXUPVALUES = 60;
const LUAI_MAXCCALLS = 200;

interface BlockScope {
  nactvar: number;
  isLoop: boolean;
}

class FuncState {
  readonly actives: LocalVar[] = [];
  readonly blocks: BlockScope[] = [];
  constructor(
    readonly parent: FuncState | null,
    readonly node: FuncNode,
  ) {}
}

// Operator priorities, as lparser.c's `priority` table: [left, right].
const BINARY: Record<string, [number, number]> = {
  '+': [6, 6],
  '-': [6, 6],
  '*': [7, 7],
  '/': [7, 7],
  '%': [7, 7],
  '^': [10, 9],
  '..': [5, 4],
  '==': [3, 3],
  '~=': [3, 3],
  '<': [3, 3],
  '<=': [3, 3],
  '>': [3, 3],
  '>=': [3, 3],
  and: [2, 2],
  or: [1, 1],
};
const UNARY_PRIORITY = 8;

let varIds = 0;

export function parse(source: string, chunkName: string): FuncNode {
  return new Parser(source, chunkName).mainFunc();
}

class Parser {
  private readonly lx: Lexer;
  private fs!: FuncState;
  private level = 0;

  constructor(source: string, chunkName: string) {
    this.lx = new Lexer(source, chunkName);
  }

  mainFunc(): FuncNode {
    const node = newFunc(0, true);
    node.isVararg = true;
    this.fs = new FuncState(null, node);
    this.lx.next();
    node.body = this.chunk();
    this.check('eof');
    node.lastLine = this.lx.line;
    return node;
  }

  // ---- helpers ----

  /** The current token (a method, so TypeScript does not narrow it across next()). */
  private tk(): TokenType {
    return this.lx.tok.type;
  }

  private errorExpected(tok: TokenType): never {
    this.lx.syntaxError(`'${tokenToString(tok)}' expected`);
  }

  private check(tok: TokenType): void {
    if (this.tk() !== tok) this.errorExpected(tok);
  }

  private checkNext(tok: TokenType): void {
    this.check(tok);
    this.lx.next();
  }

  private testNext(tok: TokenType): boolean {
    if (this.tk() === tok) {
      this.lx.next();
      return true;
    }
    return false;
  }

  private checkMatch(what: TokenType, who: TokenType, where: number): void {
    if (!this.testNext(what)) {
      if (where === this.lx.line) this.errorExpected(what);
      this.lx.syntaxError(`'${tokenToString(what)}' expected (to close '${tokenToString(who)}' at line ${where})`);
    }
  }

  private checkName(): string {
    this.check('name');
    const n = this.lx.tok.value as string;
    this.lx.next();
    return n;
  }

  private enterLevel(): void {
    if (++this.level > LUAI_MAXCCALLS) this.lx.lexError('chunk has too many syntax levels', null);
  }

  private errorLimit(limit: number, what: string, fn: FuncNode = this.fs.node): never {
    const msg = fn.main
      ? `main function has more than ${limit} ${what}`
      : `function at line ${fn.line} has more than ${limit} ${what}`;
    this.lx.lexError(msg, null);
  }

  // ---- scopes ----

  private newLocal(name: string): LocalVar {
    return { name, captured: false, id: ++varIds };
  }

  /** Declares locals (they become visible at activate()). */
  private activate(vars: LocalVar[]): void {
    for (const v of vars) {
      if (this.fs.actives.length + 1 > LUAI_MAXVARS) this.errorLimit(LUAI_MAXVARS, 'local variables');
      this.fs.actives.push(v);
    }
  }

  private checkLocalLimit(extra: number): void {
    if (this.fs.actives.length + extra > LUAI_MAXVARS) this.errorLimit(LUAI_MAXVARS, 'local variables');
  }

  private enterBlock(isLoop: boolean): void {
    this.fs.blocks.push({ nactvar: this.fs.actives.length, isLoop });
  }

  private leaveBlock(): void {
    const b = this.fs.blocks.pop()!;
    this.fs.actives.length = b.nactvar;
  }

  private singleVar(name: string): Expr {
    const r = this.resolve(this.fs, name, true);
    if (r === null) return { k: 'global', name, line: this.lx.lastLine };
    if (r.kind === 'local') return { k: 'local', v: r.v };
    return { k: 'upval', i: r.index, name };
  }

  private resolve(fs: FuncState, name: string, base: boolean): Resolved | null {
    const a = fs.actives;
    for (let i = a.length - 1; i >= 0; i--) {
      if (a[i].name === name) {
        if (!base) a[i].captured = true;
        return { kind: 'local', v: a[i] };
      }
    }
    if (fs.parent === null) return null;
    const up = this.resolve(fs.parent, name, false);
    if (up === null) return null;
    const ups = fs.node.upvals;
    for (let i = 0; i < ups.length; i++) {
      const u = ups[i];
      if (up.kind === 'local' ? u.fromLocal === up.v : u.fromLocal === null && u.fromUpval === up.index)
        return { kind: 'upval', index: i };
    }
    if (ups.length + 1 > LUAI_MAXUPVALUES) this.errorLimit(LUAI_MAXUPVALUES, 'upvalues', fs.node);
    const d: UpvalDesc =
      up.kind === 'local' ? { name, fromLocal: up.v, fromUpval: -1 } : { name, fromLocal: null, fromUpval: up.index };
    ups.push(d);
    return { kind: 'upval', index: ups.length - 1 };
  }

  // ---- statements ----

  private blockFollow(): boolean {
    const t = this.tk();
    return t === 'else' || t === 'elseif' || t === 'end' || t === 'until' || t === 'eof';
  }

  private chunk(): Stat[] {
    const out: Stat[] = [];
    this.enterLevel();
    let last = false;
    while (!last && !this.blockFollow()) {
      last = this.statement(out);
      this.testNext(';');
    }
    this.level--;
    return out;
  }

  private block(isLoop: boolean): Stat[] {
    this.enterBlock(isLoop);
    const b = this.chunk();
    this.leaveBlock();
    return b;
  }

  /** Parses one statement into out; true if it must be the last one (return, break). */
  private statement(out: Stat[]): boolean {
    const line = this.lx.line;
    switch (this.tk()) {
      case 'if':
        out.push(this.ifStat(line));
        return false;
      case 'while': {
        this.lx.next();
        const cond = this.expr();
        this.checkNext('do');
        const body = this.block(true);
        this.checkMatch('end', 'while', line);
        out.push({ k: 'while', cond, body });
        return false;
      }
      case 'do': {
        this.lx.next();
        const body = this.block(false);
        this.checkMatch('end', 'do', line);
        out.push({ k: 'do', body });
        return false;
      }
      case 'for':
        out.push(this.forStat(line));
        return false;
      case 'repeat': {
        this.lx.next();
        this.enterBlock(true);
        const body = this.chunk();
        this.checkMatch('until', 'repeat', line);
        const cond = this.expr();
        this.leaveBlock();
        out.push({ k: 'repeat', body, cond });
        return false;
      }
      case 'function': {
        this.lx.next();
        // funcname: NAME {'.' NAME} [':' NAME]
        let target = this.singleVar(this.checkName());
        let isMethod = false;
        while (this.tk() === '.') {
          this.lx.next();
          const key = this.checkName();
          target = { k: 'index', obj: target, key: { k: 'str', v: key }, line: this.lx.lastLine };
        }
        if (this.tk() === ':') {
          this.lx.next();
          const key = this.checkName();
          target = { k: 'index', obj: target, key: { k: 'str', v: key }, line: this.lx.lastLine };
          isMethod = true;
        }
        const f = this.body(isMethod, line);
        out.push({ k: 'assign', targets: [target], exprs: [{ k: 'func', f }], line });
        return false;
      }
      case 'local':
        this.lx.next();
        if (this.testNext('function')) {
          const v = this.newLocal(this.checkName());
          this.activate([v]);
          const f = this.body(false, this.lx.line);
          out.push({ k: 'localfunc', v, f });
        } else out.push(this.localStat());
        return false;
      case 'return': {
        this.lx.next();
        let exprs: Expr[] = [];
        if (!this.blockFollow() && this.tk() !== ';') exprs = this.exprList();
        out.push({ k: 'return', exprs, line: this.lx.lastLine });
        return true;
      }
      case 'break': {
        this.lx.next();
        const blocks = this.fs.blocks;
        let inLoop = false;
        for (let i = blocks.length - 1; i >= 0; i--)
          if (blocks[i].isLoop) {
            inLoop = true;
            break;
          }
        if (!inLoop) this.lx.syntaxError('no loop to break');
        out.push({ k: 'break' });
        return true;
      }
      default:
        out.push(this.exprStat());
        return false;
    }
  }

  private ifStat(line: number): Stat {
    const conds: Expr[] = [];
    const blocks: Stat[][] = [];
    this.lx.next();
    conds.push(this.expr());
    this.checkNext('then');
    blocks.push(this.block(false));
    while (this.tk() === 'elseif') {
      this.lx.next();
      conds.push(this.expr());
      this.checkNext('then');
      blocks.push(this.block(false));
    }
    let orelse: Stat[] | null = null;
    if (this.tk() === 'else') {
      this.lx.next();
      orelse = this.block(false);
    }
    this.checkMatch('end', 'if', line);
    return { k: 'if', conds, blocks, orelse };
  }

  private forStat(line: number): Stat {
    this.enterBlock(true); // scope for the loop and its control variables
    this.lx.next();
    const name = this.checkName();
    let st: Stat;
    if (this.tk() === '=') {
      this.lx.next();
      const start = this.expr();
      this.checkNext(',');
      const limit = this.expr();
      let step: Expr | null = null;
      if (this.testNext(',')) step = this.expr();
      this.checkNext('do');
      const doLine = this.lx.lastLine;
      this.checkLocalLimit(3);
      const hidden = [this.newLocal('(for index)'), this.newLocal('(for limit)'), this.newLocal('(for step)')];
      this.activate(hidden);
      const v = this.newLocal(name);
      this.enterBlock(false);
      this.activate([v]);
      const body = this.chunk();
      this.leaveBlock();
      st = { k: 'fornum', v, start, limit, step, body, line: doLine };
    } else if (this.tk() === ',' || this.tk() === 'in') {
      const vars = [this.newLocal(name)];
      while (this.testNext(',')) vars.push(this.newLocal(this.checkName()));
      this.checkNext('in');
      const exprs = this.exprList();
      this.checkNext('do');
      const doLine = this.lx.lastLine;
      this.activate([this.newLocal('(for generator)'), this.newLocal('(for state)'), this.newLocal('(for control)')]);
      this.enterBlock(false);
      this.activate(vars);
      const body = this.chunk();
      this.leaveBlock();
      st = { k: 'forin', vars, exprs, body, line: doLine };
    } else this.lx.syntaxError("'=' or 'in' expected");
    this.checkMatch('end', 'for', line);
    this.leaveBlock();
    return st;
  }

  private localStat(): Stat {
    const vars: LocalVar[] = [];
    do {
      vars.push(this.newLocal(this.checkName()));
    } while (this.testNext(','));
    this.checkLocalLimit(vars.length);
    let exprs: Expr[] = [];
    if (this.testNext('=')) exprs = this.exprList();
    const line = this.lx.lastLine;
    this.activate(vars);
    return { k: 'local', vars, exprs, line };
  }

  private exprStat(): Stat {
    const e = this.primaryExp();
    if (e.k === 'call' || e.k === 'method') return { k: 'call', call: e };
    // an assignment: every target must be assignable
    const targets: Expr[] = [e];
    this.checkAssignable(e);
    while (this.testNext(',')) {
      const t = this.primaryExp();
      this.checkAssignable(t);
      targets.push(t);
    }
    this.checkNext('=');
    const exprs = this.exprList();
    return { k: 'assign', targets, exprs, line: this.lx.lastLine };
  }

  private checkAssignable(e: Expr): void {
    if (e.k !== 'local' && e.k !== 'upval' && e.k !== 'global' && e.k !== 'index') this.lx.syntaxError('syntax error');
  }

  // ---- functions ----

  private body(isMethod: boolean, line: number): FuncNode {
    const node = newFunc(line, false);
    const fs = new FuncState(this.fs, node);
    this.fs = fs;
    this.checkNext('(');
    if (isMethod) {
      const self = this.newLocal('self');
      node.params.push(self);
    }
    if (this.tk() !== ')') {
      do {
        if (this.tk() === 'name') node.params.push(this.newLocal(this.checkName()));
        else if (this.tk() === '...') {
          this.lx.next();
          node.isVararg = true;
          node.argVar = this.newLocal('arg');
        } else this.lx.syntaxError("<name> or '...' expected");
      } while (!node.isVararg && this.testNext(','));
    }
    this.activate(node.params);
    if (node.argVar) this.activate([node.argVar]);
    this.checkNext(')');
    node.body = this.chunk();
    node.lastLine = this.lx.line;
    this.checkMatch('end', 'function', line);
    this.fs = fs.parent!;
    return node;
  }

  // ---- expressions ----

  private exprList(): Expr[] {
    const list = [this.expr()];
    while (this.testNext(',')) list.push(this.expr());
    return list;
  }

  private expr(): Expr {
    return this.subExpr(0);
  }

  private subExpr(limit: number): Expr {
    this.enterLevel();
    let e: Expr;
    const t = this.tk();
    if (t === 'not' || t === '-' || t === '#') {
      this.lx.next();
      const a = this.subExpr(UNARY_PRIORITY);
      e = unary(t, a, this.lx.lastLine);
    } else e = this.simpleExp();
    for (;;) {
      const op = this.tk();
      const pri = BINARY[op];
      if (pri === undefined || pri[0] <= limit) break;
      this.lx.next();
      const b = this.subExpr(pri[1]);
      e = binary(op, e, b, this.lx.lastLine);
    }
    this.level--;
    return e;
  }

  private simpleExp(): Expr {
    const tok = this.lx.tok;
    switch (tok.type) {
      case 'number':
        this.lx.next();
        return { k: 'num', v: tok.value as number };
      case 'string':
        this.lx.next();
        return { k: 'str', v: tok.value as string };
      case 'nil':
        this.lx.next();
        return { k: 'nil' };
      case 'true':
        this.lx.next();
        return { k: 'true' };
      case 'false':
        this.lx.next();
        return { k: 'false' };
      case '...': {
        const fn = this.fs.node;
        if (!fn.isVararg) this.lx.syntaxError("cannot use '...' outside a vararg function");
        fn.usesVararg = true;
        this.lx.next();
        return { k: 'vararg' };
      }
      case '{':
        return this.constructor_();
      case 'function': {
        const line = this.lx.line;
        this.lx.next();
        return { k: 'func', f: this.body(false, line) };
      }
      default:
        return this.primaryExp();
    }
  }

  private prefixExp(): Expr {
    switch (this.tk()) {
      case '(': {
        const line = this.lx.line;
        this.lx.next();
        const e = this.expr();
        this.checkMatch(')', '(', line);
        return { k: 'paren', e };
      }
      case 'name':
        return this.singleVar(this.checkName());
      default:
        this.lx.syntaxError('unexpected symbol');
    }
  }

  private primaryExp(): Expr {
    let e = this.prefixExp();
    for (;;) {
      switch (this.tk()) {
        case '.': {
          this.lx.next();
          const key = this.checkName();
          e = { k: 'index', obj: e, key: { k: 'str', v: key }, line: this.lx.lastLine };
          break;
        }
        case '[': {
          this.lx.next();
          const key = this.expr();
          this.checkNext(']');
          e = { k: 'index', obj: e, key, line: this.lx.lastLine };
          break;
        }
        case ':': {
          this.lx.next();
          const name = this.checkName();
          const { args, line } = this.funcArgs();
          e = { k: 'method', obj: e, name, args, line };
          break;
        }
        case '(':
        case 'string':
        case '{': {
          const { args, line } = this.funcArgs();
          e = { k: 'call', fn: e, args, line };
          break;
        }
        default:
          return e;
      }
    }
  }

  private funcArgs(): { args: Expr[]; line: number } {
    const line = this.lx.line;
    const tok = this.lx.tok;
    switch (tok.type) {
      case '(': {
        if (line !== this.lx.lastLine) this.lx.syntaxError('ambiguous syntax (function call x new statement)');
        this.lx.next();
        const args = this.tk() === ')' ? [] : this.exprList();
        this.checkMatch(')', '(', line);
        return { args, line };
      }
      case '{':
        return { args: [this.constructor_()], line };
      case 'string':
        this.lx.next();
        return { args: [{ k: 'str', v: tok.value as string }], line };
      default:
        this.lx.syntaxError('function arguments expected');
    }
  }

  private constructor_(): Expr {
    const line = this.lx.line;
    this.checkNext('{');
    const items: TableItem[] = [];
    let narray = 0;
    let nhash = 0;
    do {
      if (this.tk() === '}') break;
      if (this.tk() === 'name') {
        if (this.lx.lookahead().type !== '=') {
          items.push({ k: 'pos', v: this.expr() });
          narray++;
        } else {
          const key = this.checkName();
          this.checkNext('=');
          items.push({ k: 'named', key: { k: 'str', v: key }, v: this.expr(), line: this.lx.lastLine });
          nhash++;
        }
      } else if (this.tk() === '[') {
        this.lx.next();
        const key = this.expr();
        this.checkNext(']');
        this.checkNext('=');
        items.push({ k: 'named', key, v: this.expr(), line: this.lx.lastLine });
        nhash++;
      } else {
        items.push({ k: 'pos', v: this.expr() });
        narray++;
      }
    } while (this.testNext(',') || this.testNext(';'));
    this.checkMatch('}', '{', line);
    // a last open item (call or ...) is not counted in the array size hint
    const last = items[items.length - 1];
    if (last !== undefined && last.k === 'pos' && isMulti(last.v)) narray--;
    return { k: 'table', items, line, narray, nhash };
  }
}

function newFunc(line: number, main: boolean): FuncNode {
  return {
    params: [],
    isVararg: false,
    argVar: null,
    usesVararg: false,
    body: [],
    upvals: [],
    line,
    lastLine: line,
    main,
  };
}

type Resolved = { kind: 'local'; v: LocalVar } | { kind: 'upval'; index: number };

function unary(op: string, a: Expr, line: number): Expr {
  if (op === 'not') return { k: 'not', a };
  if (op === '#') return { k: 'len', a, line };
  // constant folding of -number, as lcode.c does (not when the result is NaN)
  if (a.k === 'num' && !Number.isNaN(-a.v)) return { k: 'num', v: -a.v };
  return { k: 'neg', a, line };
}

function binary(op: string, a: Expr, b: Expr, line: number): Expr {
  // lcode.c drops a constant left operand that decides nothing ("1 and x",
  // "nil or x" are x), which matters for how errors name the result
  if (op === 'and') {
    if (a.k === 'num' || a.k === 'str' || a.k === 'true') return isMulti(b) ? { k: 'paren', e: b } : b;
    return { k: 'and', a, b };
  }
  if (op === 'or') {
    if (a.k === 'nil' || a.k === 'false') return isMulti(b) ? { k: 'paren', e: b } : b;
    return { k: 'or', a, b };
  }
  if (op === '..') {
    // right-associative chains become one concatenation (one OP_CONCAT in Lua)
    let right = b;
    while (right.k === 'paren' && right.e.k === 'concat') right = right.e;
    if (right.k === 'concat') return { k: 'concat', items: [a, ...right.items], line };
    return { k: 'concat', items: [a, b], line };
  }
  if (a.k === 'num' && b.k === 'num') {
    const r = fold(op, a.v, b.v);
    if (r !== undefined) return { k: 'num', v: r };
  }
  return { k: 'bin', op: op as BinOp, a, b, line };
}

/** lcode.c's constfolding: arithmetic on two numerals, except division by zero and NaN results. */
function fold(op: string, x: number, y: number): number | undefined {
  let r: number;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
      if (y === 0) return undefined;
      r = x / y;
      break;
    case '%':
      if (y === 0) return undefined;
      r = x - Math.floor(x / y) * y;
      break;
    case '^':
      r = Math.pow(x, y);
      break;
    default:
      return undefined;
  }
  return Number.isNaN(r) ? undefined : r;
}

