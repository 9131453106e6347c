// The syntax tree the parser builds and the compiler reads. Names are
// resolved while parsing (as lparser.c does): a name is a local of this
// function, an upvalue, or a global.

/** A local variable declaration. */
export interface LocalVar {
  name: string;
  /** Captured by an inner function: lives in a cell. */
  captured: boolean;
  /** Assigned after its declaration (the compiler may then not treat it as constant). */
  id: number;
}

/** How a function reaches an upvalue: from its parent's local or its parent's upvalue. */
export interface UpvalDesc {
  name: string;
  fromLocal: LocalVar | null;
  fromUpval: number;
}

export interface FuncNode {
  params: LocalVar[];
  isVararg: boolean;
  /** Lua 5.1's LUA_COMPAT_VARARG: the implicit `arg` table (vararg functions not using `...`). */
  argVar: LocalVar | null;
  usesVararg: boolean;
  body: Stat[];
  upvals: UpvalDesc[];
  line: number;
  lastLine: number;
  /** True for the main chunk. */
  main: boolean;
}

export type Expr =
  | { k: 'nil' }
  | { k: 'true' }
  | { k: 'false' }
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'vararg' }
  | { k: 'func'; f: FuncNode }
  | { k: 'local'; v: LocalVar }
  | { k: 'upval'; i: number; name: string }
  | { k: 'global'; name: string; line: number }
  | { k: 'index'; obj: Expr; key: Expr; line: number }
  | { k: 'call'; fn: Expr; args: Expr[]; line: number }
  | { k: 'method'; obj: Expr; name: string; args: Expr[]; line: number }
  | { k: 'bin'; op: BinOp; a: Expr; b: Expr; line: number }
  | { k: 'concat'; items: Expr[]; line: number }
  | { k: 'and'; a: Expr; b: Expr }
  | { k: 'or'; a: Expr; b: Expr }
  | { k: 'not'; a: Expr }
  | { k: 'neg'; a: Expr; line: number }
  | { k: 'len'; a: Expr; line: number }
  | { k: 'paren'; e: Expr }
  | { k: 'table'; items: TableItem[]; line: number; narray: number; nhash: number };

export type BinOp = '+' | '-' | '*' | '/' | '%' | '^' | '==' | '~=' | '<' | '<=' | '>' | '>=';

export type TableItem = { k: 'pos'; v: Expr } | { k: 'named'; key: Expr; v: Expr; line: number };

export type Stat =
  | { k: 'local'; vars: LocalVar[]; exprs: Expr[]; line: number }
  | { k: 'localfunc'; v: LocalVar; f: FuncNode }
  | { k: 'assign'; targets: Expr[]; exprs: Expr[]; line: number }
  | { k: 'call'; call: Expr }
  | { k: 'do'; body: Stat[] }
  | { k: 'while'; cond: Expr; body: Stat[] }
  | { k: 'repeat'; body: Stat[]; cond: Expr }
  | { k: 'if'; conds: Expr[]; blocks: Stat[][]; orelse: Stat[] | null }
  | {
      k: 'fornum';
      v: LocalVar;
      start: Expr;
      limit: Expr;
      step: Expr | null;
      body: Stat[];
      line: number;
    }
  | { k: 'forin'; vars: LocalVar[]; exprs: Expr[]; body: Stat[]; line: number }
  | { k: 'return'; exprs: Expr[]; line: number }
  | { k: 'break' };

/** True for expressions that can produce several values (calls and `...`). */
export function isMulti(e: Expr): boolean {
  return e.k === 'call' || e.k === 'method' || e.k === 'vararg';
}
