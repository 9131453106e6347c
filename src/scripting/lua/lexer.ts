// The Lua 5.1 lexer (llex.c's rules): source is a latin1 string (one char
// per byte). Errors are LuaSyntaxError with Lua's exact text,
// "<chunk>:<line>: <msg> near '<token>'".

import { str2number } from './numbers.js';

export type TokenType =
  | 'name'
  | 'string'
  | 'number'
  | 'eof'
  | 'and'
  | 'break'
  | 'do'
  | 'else'
  | 'elseif'
  | 'end'
  | 'false'
  | 'for'
  | 'function'
  | 'if'
  | 'in'
  | 'local'
  | 'nil'
  | 'not'
  | 'or'
  | 'repeat'
  | 'return'
  | 'then'
  | 'true'
  | 'until'
  | 'while'
  | '..'
  | '...'
  | '=='
  | '>='
  | '<='
  | '~='
  | string; // single-char tokens

const KEYWORDS = new Set([
  'and',
  'break',
  'do',
  'else',
  'elseif',
  'end',
  'false',
  'for',
  'function',
  'if',
  'in',
  'local',
  'nil',
  'not',
  'or',
  'repeat',
  'return',
  'then',
  'true',
  'until',
  'while',
]);

export class LuaSyntaxError {
  constructor(readonly message: string) {}
}

export interface Token {
  type: TokenType;
  /** Name or string contents, or the number's value. */
  value: string | number;
  /** The token's text as saved by the C lexer (for "near '...'"). */
  raw: string;
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlnum(c: number): boolean {
  return isAlpha(c) || isDigit(c);
}
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** luaO_chunkid: how a chunk name shows in messages. */
export function chunkId(source: string): string {
  const LUA_IDSIZE = 80; // as Redis's (and Debian's) build
  const z = source.indexOf('\0');
  if (z >= 0) source = source.slice(0, z);
  if (source[0] === '=') return source.slice(1, LUA_IDSIZE);
  if (source[0] === '@') {
    const name = source.slice(1);
    const room = LUA_IDSIZE - 8;
    return name.length > room ? '...' + name.slice(name.length - room) : name;
  }
  const nl = source.search(/[\n\r]/);
  let len = nl < 0 ? source.length : nl;
  const room = LUA_IDSIZE - 17;
  if (len > room) len = room;
  if (len < source.length) return '[string "' + source.slice(0, len) + '..."]';
  return '[string "' + source + '"]';
}

export class Lexer {
  private pos = 0;
  private cc: number; // current char, -1 at end
  line = 1;
  /** Line of the last token consumed (ls->lastline). */
  lastLine = 1;
  tok: Token = { type: 'eof', value: '', raw: '' };
  private ahead: Token | null = null;
  /** What "near" shows: the last scanned token's saved text. */
  private buffer = '';
  readonly chunk: string;

  constructor(
    private readonly src: string,
    chunkName: string,
  ) {
    this.chunk = chunkId(chunkName);
    this.cc = src.length > 0 ? src.charCodeAt(0) : -1;
  }

  private advance(): void {
    this.pos++;
    this.cc = this.pos < this.src.length ? this.src.charCodeAt(this.pos) : -1;
  }

  /** The current char (a method, so TypeScript does not narrow it across advance()). */
  private cur(): number {
    return this.cc;
  }

  private peekChar(): number {
    return this.pos + 1 < this.src.length ? this.src.charCodeAt(this.pos + 1) : -1;
  }

  next(): void {
    this.lastLine = this.line;
    if (this.ahead !== null) {
      this.tok = this.ahead;
      this.ahead = null;
    } else this.tok = this.scan();
  }

  lookahead(): Token {
    if (this.ahead === null) this.ahead = this.scan();
    return this.ahead;
  }

  // ---- errors ----

  /** Text for a token in messages (luaX_token2str / txtToken). */
  tokenText(t: Token): string {
    if (t.type === 'name' || t.type === 'string' || t.type === 'number') return this.buffer;
    return tokenToString(t.type);
  }

  lexError(msg: string, near: string | null): never {
    let m = `${this.chunk}:${this.line}: ${msg}`;
    if (near !== null) m += ` near '${near}'`;
    throw new LuaSyntaxError(m);
  }

  syntaxError(msg: string): never {
    this.lexError(msg, this.tokenText(this.tok));
  }

  // ---- scanning ----

  private incLine(): void {
    const old = this.cur();
    this.advance(); // skip \n or \r
    if ((this.cur() === 10 || this.cur() === 13) && this.cur() !== old) this.advance(); // \n\r or \r\n
    this.line++;
  }

  private scan(): Token {
    for (;;) {
      const c = this.cur();
      switch (c) {
        case 10:
        case 13:
          this.incLine();
          continue;
        case 45: {
          // '-'
          this.advance();
          if (this.cur() !== 45) return this.single('-');
          this.advance();
          if (this.cur() === 91) {
            // '['
            const start = this.pos;
            const sep = this.skipSep();
            if (sep >= 0) {
              this.readLongString(sep, true, start);
              continue;
            }
          }
          while (this.cur() !== 10 && this.cur() !== 13 && this.cur() !== -1) this.advance();
          continue;
        }
        case 91: {
          // '['
          const start = this.pos;
          const sep = this.skipSep();
          if (sep >= 0) {
            const s = this.readLongString(sep, false, start);
            return { type: 'string', value: s, raw: this.buffer };
          }
          if (sep === -1) return this.plain('[');
          this.buffer = this.src.slice(start, this.pos);
          this.lexError('invalid long string delimiter', this.buffer);
        }
        case 61: // '='
          this.advance();
          if (this.cur() !== 61) return this.plain('=');
          this.advance();
          return this.plain('==');
        case 60: // '<'
          this.advance();
          if (this.cur() !== 61) return this.plain('<');
          this.advance();
          return this.plain('<=');
        case 62: // '>'
          this.advance();
          if (this.cur() !== 61) return this.plain('>');
          this.advance();
          return this.plain('>=');
        case 126: // '~'
          this.advance();
          if (this.cur() !== 61) return this.plain('~');
          this.advance();
          return this.plain('~=');
        case 34: // '"'
        case 39: // "'"
          return this.readString(c);
        case 46: {
          // '.'
          const start = this.pos;
          this.advance();
          if (this.cur() === 46) {
            this.advance();
            if (this.cur() === 46) {
              this.advance();
              return this.plain('...');
            }
            return this.plain('..');
          }
          if (!isDigit(this.cur())) return this.plain('.');
          return this.readNumeral(start);
        }
        case -1:
          return this.plain('eof');
        default: {
          if (isSpace(c)) {
            this.advance();
            continue;
          }
          if (isDigit(c)) return this.readNumeral(this.pos);
          if (isAlpha(c)) {
            const start = this.pos;
            do this.advance();
            while (isAlnum(this.cur()));
            const word = this.src.slice(start, this.pos);
            this.buffer = word;
            if (KEYWORDS.has(word)) return { type: word, value: word, raw: word };
            return { type: 'name', value: word, raw: word };
          }
          this.advance();
          return this.single(String.fromCharCode(c));
        }
      }
    }
  }

  private plain(type: TokenType): Token {
    return { type, value: type, raw: type };
  }

  private single(ch: string): Token {
    return { type: ch, value: ch, raw: ch };
  }

  /** After '[': counts '='s; returns the level if a second '[' follows, else -1 - count. */
  private skipSep(): number {
    const s = this.cur();
    this.advance();
    let count = 0;
    while (this.cur() === 61) {
      this.advance();
      count++;
    }
    return this.cur() === s ? count : -count - 1;
  }

  private readLongString(sep: number, comment: boolean, start: number): string {
    this.advance(); // second '['
    if (this.cur() === 10 || this.cur() === 13) this.incLine(); // a first newline is skipped
    let out = '';
    let chunkStart = this.pos;
    for (;;) {
      const c = this.cur();
      if (c === -1) {
        this.buffer = this.src.slice(start, this.pos);
        this.lexError(comment ? 'unfinished long comment' : 'unfinished long string', '<eof>');
      } else if (c === 93) {
        // ']'
        const at = this.pos;
        if (this.skipSep() === sep) {
          out += this.src.slice(chunkStart, at);
          this.advance();
          this.buffer = this.src.slice(start, this.pos);
          return out;
        }
      } else if (c === 91) {
        // '['
        const at = this.pos;
        if (this.skipSep() === sep) {
          this.advance();
          if (sep === 0) {
            this.buffer = this.src.slice(start, this.pos);
            this.lexError('nesting of [[...]] is deprecated', '[');
          }
        }
        void at;
      } else if (c === 10 || c === 13) {
        out += this.src.slice(chunkStart, this.pos) + '\n';
        this.incLine();
        chunkStart = this.pos;
      } else this.advance();
    }
  }

  private readString(delim: number): Token {
    let buf = String.fromCharCode(delim); // what "near" shows
    let out = '';
    this.advance();
    while (this.cur() !== delim) {
      const c = this.cur();
      if (c === -1) {
        this.buffer = buf;
        this.lexError('unfinished string', '<eof>');
      }
      if (c === 10 || c === 13) {
        this.buffer = buf;
        this.lexError('unfinished string', buf);
      }
      if (c === 92) {
        // '\'
        this.advance();
        let ch: number;
        switch (this.cur()) {
          case 97:
            ch = 7;
            break;
          case 98:
            ch = 8;
            break;
          case 102:
            ch = 12;
            break;
          case 110:
            ch = 10;
            break;
          case 114:
            ch = 13;
            break;
          case 116:
            ch = 9;
            break;
          case 118:
            ch = 11;
            break;
          case 10:
          case 13:
            out += '\n';
            buf += '\n';
            this.incLine();
            continue;
          case -1:
            continue; // reported as unfinished string
          default: {
            if (!isDigit(this.cur())) {
              ch = this.cur(); // \\, \", \' and any other char stand for themselves
              break;
            }
            let v = 0;
            let i = 0;
            do {
              v = 10 * v + (this.cur() - 48);
              this.advance();
            } while (++i < 3 && isDigit(this.cur()));
            if (v > 255) {
              this.buffer = buf;
              this.lexError('escape sequence too large', buf);
            }
            out += String.fromCharCode(v);
            buf += String.fromCharCode(v);
            continue;
          }
        }
        out += String.fromCharCode(ch);
        buf += String.fromCharCode(ch);
        this.advance();
        continue;
      }
      out += String.fromCharCode(c);
      buf += String.fromCharCode(c);
      this.advance();
    }
    this.advance();
    buf += String.fromCharCode(delim);
    this.buffer = buf;
    return { type: 'string', value: out, raw: buf };
  }

  private readNumeral(start: number): Token {
    while (isDigit(this.cur()) || this.cur() === 46) this.advance();
    if (this.cur() === 69 || this.cur() === 101) {
      this.advance();
      if (this.cur() === 43 || this.cur() === 45) this.advance();
    }
    while (isAlnum(this.cur())) this.advance();
    const text = this.src.slice(start, this.pos);
    this.buffer = text;
    const v = str2number(text);
    if (v === undefined) this.lexError('malformed number', text);
    return { type: 'number', value: v, raw: text };
  }
}

export function tokenToString(type: TokenType): string {
  if (type === 'eof') return '<eof>';
  if (type === 'name') return '<name>';
  if (type === 'string') return '<string>';
  if (type === 'number') return '<number>';
  if (type.length === 1) {
    const c = type.charCodeAt(0);
    if (c < 32 || c === 127) return `char(${c})`;
  }
  return type;
}
