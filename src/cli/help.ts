// Interactive help, hints and completion: the command reference comes from
// the server's COMMAND DOCS (so it describes the server being used), or, when
// no server answers, from the reference built into Spinel (its command
// metadata). HELP output, the hint algorithm and their quirks follow
// redis-cli 7.2 (tests/assets/test_cli_hint_suite.txt holds its cases).

import fs from 'node:fs';
import { T, type Reply } from './resp.js';
import { splitArgs } from './splitargs.js';
import { cliVersion } from './args.js';
import { CC, type Cli } from './cli.js';
import { strerror } from './connection.js';
import * as io from './io.js';

export interface ArgSpec {
  name: string;
  type: string;
  token: string | null;
  displayText: string | null;
  optional: boolean;
  multiple: boolean;
  multipleToken: boolean;
  subargs: ArgSpec[] | null;
  // Matching state of the current hint.
  matched: number;
  matchedToken: boolean;
  matchedName: boolean;
  matchedAll: boolean;
}

export interface CommandDocs {
  name: string;
  summary: string | null;
  since: string | null;
  group: string | null;
  args: ArgSpec[] | null;
  /** The syntax line HELP prints (null when the command takes no arguments). */
  params: string | null;
}

export interface HelpEntry {
  isGroup: boolean;
  argv: string[];
  full: string;
  docs: CommandDocs | null;
}

/** A reply's map fields as [key, value] pairs (RESP2 flat arrays or RESP3 maps). */
function pairs(r: Reply): [string, Reply][] {
  const out: [string, Reply][] = [];
  const els = r.elements ?? [];
  for (let i = 0; i + 1 < els.length; i += 2) out.push([els[i].str, els[i + 1]]);
  return out;
}

function argFromReply(r: Reply): ArgSpec {
  const a = newArg('', '');
  for (const [k, v] of pairs(r)) {
    if (k === 'name') a.name = v.str;
    else if (k === 'type') a.type = v.str;
    else if (k === 'token') a.token = v.str;
    else if (k === 'display_text') a.displayText = v.str;
    else if (k === 'flags') {
      for (const f of v.elements ?? []) {
        if (f.str === 'optional') a.optional = true;
        else if (f.str === 'multiple') a.multiple = true;
        else if (f.str === 'multiple_token') a.multipleToken = true;
      }
    } else if (k === 'arguments') a.subargs = (v.elements ?? []).map(argFromReply);
  }
  return a;
}

function newArg(name: string, type: string): ArgSpec {
  return {
    name,
    type,
    token: null,
    displayText: null,
    optional: false,
    multiple: false,
    multipleToken: false,
    subargs: null,
    matched: 0,
    matchedToken: false,
    matchedName: false,
    matchedAll: false,
  };
}

function docsEntries(name: string, sub: string | null, specs: Reply, entries: HelpEntry[], groups: Set<string>): void {
  const argv = sub === null ? [name.toUpperCase()] : [name.toUpperCase(), sub.slice(sub.indexOf('|') + 1).toUpperCase()];
  const docs: CommandDocs = { name: argv.join(' '), summary: null, since: null, group: null, args: null, params: null };
  entries.push({ isGroup: false, argv, full: docs.name, docs });
  for (const [k, v] of pairs(specs)) {
    if (k === 'summary') docs.summary = v.str;
    else if (k === 'since') docs.since = v.str;
    else if (k === 'group') {
      docs.group = v.str;
      groups.add(v.str);
    } else if (k === 'arguments') {
      docs.args = (v.elements ?? []).map(argFromReply);
      if (docs.args.length) docs.params = concatArgs(docs.args, ' ');
    } else if (k === 'subcommands') {
      for (const [subname, subspecs] of pairs(v)) docsEntries(name, subname, subspecs, entries, groups);
    }
  }
}

/** The syntax of arguments, as COMMAND DOCS-based help shows it. */
function concatArgs(args: ArgSpec[], sep: string): string {
  return args.map(argSyntax).join(sep);
}

function orEmpty(s: string): string {
  return s === '' ? '""' : s;
}

function argSyntax(a: ArgSpec): string {
  let token = a.token !== null ? orEmpty(a.token) : '';
  let repeat = '';
  if (['key', 'string', 'integer', 'double', 'pattern', 'unix-time', 'token'].includes(a.type)) repeat = orEmpty(a.name);
  else if (a.type === 'oneof') repeat = concatArgs(a.subargs ?? [], '|');
  else if (a.type === 'block') repeat = concatArgs(a.subargs ?? [], ' ');
  if (token !== '' && a.type !== 'pure-token') token += ' ';
  let s = a.optional ? '[' : '';
  s += token + repeat;
  if (a.multiple) s += ' [' + (a.multipleToken ? token : '') + repeat + ' ...]';
  if (a.optional) s += ']';
  return s;
}

function finish(entries: HelpEntry[], groups: Set<string>): HelpEntry[] {
  for (const g of groups) entries.push({ isGroup: true, argv: ['@' + g], full: '@' + g, docs: null });
  return entries.sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
}

/** Help entries from a COMMAND DOCS reply. */
export function entriesFromDocs(table: Reply): HelpEntry[] {
  const entries: HelpEntry[] = [];
  const groups = new Set<string>();
  const els = table.elements ?? [];
  for (let i = 0; i + 1 < els.length; i += 2) docsEntries(els[i].str, null, els[i + 1], entries, groups);
  return finish(entries, groups);
}

/** Help entries from the reference built into Spinel (no server, or one without COMMAND DOCS). */
export async function builtinEntries(): Promise<HelpEntry[]> {
  const [{ ALL_META }, { DOCS_TEXT }] = await Promise.all([import('../commands/meta.js'), import('../commands/docs-text.js')]);
  const entries: HelpEntry[] = [];
  const groups = new Set<string>();
  type Meta = (typeof ALL_META)[string];
  type MArg = NonNullable<NonNullable<Meta['docs']>['arguments']>[number];
  const toArg = (m: MArg): ArgSpec => {
    const a = newArg(m.name, m.type);
    if (m.token !== undefined) a.token = m.token;
    if (m.displayText !== undefined) a.displayText = m.displayText;
    for (const f of m.flags ?? []) {
      if (f === 'optional') a.optional = true;
      else if (f === 'multiple') a.multiple = true;
      else if (f === 'multiple_token') a.multipleToken = true;
    }
    if (m.arguments) a.subargs = m.arguments.map(toArg);
    return a;
  };
  const add = (full: string, m: Meta): void => {
    const argv = full.split('|').map((s) => s.toUpperCase());
    const docs: CommandDocs = {
      name: argv.join(' '),
      summary: DOCS_TEXT[full]?.summary ?? null,
      since: m.docs?.since ?? null,
      group: m.docs?.group ?? null,
      args: null,
      params: null,
    };
    if (docs.group) groups.add(docs.group);
    if (m.docs?.arguments?.length) {
      docs.args = m.docs.arguments.map(toArg);
      docs.params = concatArgs(docs.args, ' ');
    }
    entries.push({ isGroup: false, argv, full: docs.name, docs });
    for (const [sub, sm] of Object.entries(m.subcommands ?? {})) add(sub, sm);
  };
  for (const [name, m] of Object.entries(ALL_META)) add(name, m);
  return finish(entries, groups);
}

/**
 * Help entries for a COMMAND reply (a server without COMMAND DOCS): the
 * built-in ones, plus the server's other commands with a syntax made from
 * their arity.
 */
function integrateCommandReply(entries: HelpEntry[], reply: Reply): HelpEntry[] {
  for (const e of reply.elements ?? []) {
    const els = e.elements;
    if (!els || els.length < 4 || els[0].type !== T.String || els[1].type !== T.Integer || els[3].type !== T.Integer) return entries;
    const name = els[0].str;
    if (entries.some((h) => h.argv[0].toLowerCase() === name.toLowerCase())) continue;
    const arity = Number(els[1].str);
    let args = Math.abs(arity) - 1;
    let params = '';
    if (Number(els[3].str) === 1) {
      params += 'key ';
      args--;
    }
    while (args-- > 0) params += 'arg ';
    if (arity < 0) params += '...options...';
    const upper = name.toUpperCase();
    entries.push({
      isGroup: false,
      argv: [upper],
      full: upper,
      docs: { name: upper, summary: 'Help not available', since: 'Not known', group: 'generic', args: null, params },
    });
  }
  return entries;
}

let helpEntries: HelpEntry[] | null = null;

/** redis-cli's cliInitHelp: from the server if it answers COMMAND DOCS, else built in. */
export async function initHelp(cli: Cli): Promise<HelpEntry[]> {
  if (!(await cli.connect(CC.Quiet))) {
    helpEntries = await builtinEntries();
    return helpEntries;
  }
  let table: Reply | null = null;
  try {
    table = await cli.conn!.command('COMMAND', 'DOCS');
  } catch {
    table = null;
  }
  if (table === null || table.type === T.Error) {
    helpEntries = await builtinEntries();
    try {
      const r = await cli.conn!.command('COMMAND');
      if (r.type === T.Array) helpEntries = integrateCommandReply(helpEntries, r);
    } catch {
      /* keep the built-in entries */
    }
    return helpEntries;
  }
  if (table.type !== T.Map && table.type !== T.Array) return (helpEntries = []);
  helpEntries = entriesFromDocs(table);
  return helpEntries;
}

export function currentEntries(): HelpEntry[] | null {
  return helpEntries;
}

/** Installs help entries directly (tests compare hints without a session). */
export function setEntries(entries: HelpEntry[]): void {
  helpEntries = entries;
}

function commandHelp(d: CommandDocs, withGroup: boolean): string {
  let s = `\r\n  \x1b[1m${d.name}\x1b[0m \x1b[90m${d.params ?? '(null)'}\x1b[0m\r\n`;
  s += `  \x1b[33msummary:\x1b[0m ${d.summary ?? '(null)'}\r\n`;
  if (d.since !== null) s += `  \x1b[33msince:\x1b[0m ${d.since}\r\n`;
  if (withGroup) s += `  \x1b[33mgroup:\x1b[0m ${d.group ?? '(null)'}\r\n`;
  return s;
}

export function genericHelp(): string {
  return (
    `spinel-cli ${cliVersion()}\n` +
    'To get help about Redis commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set spinel-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n' +
    'Set your preferences in ~/.spinelclirc\n'
  );
}

/** HELP, HELP @group, HELP command [subcommand]. */
export async function outputHelp(cli: Cli, argv: string[]): Promise<void> {
  if (argv.length === 0) {
    io.out(genericHelp());
    io.flush();
    return;
  }
  const group = argv[0].startsWith('@') ? argv[0].slice(1) : null;
  const entries = helpEntries ?? (await initHelp(cli));
  let s = '';
  for (const e of entries) {
    if (e.isGroup) continue;
    const d = e.docs!;
    if (group === null) {
      if (argv.length <= e.argv.length && argv.every((a, j) => a.toLowerCase() === e.argv[j].toLowerCase())) s += commandHelp(d, true);
    } else if (d.group !== null && group.toLowerCase() === d.group.toLowerCase()) {
      s += commandHelp(d, false);
    }
  }
  io.out(s + '\r\n');
  io.flush();
}

// ---- Hints ----

function clearMatched(args: ArgSpec[]): void {
  for (const a of args) {
    a.matched = 0;
    a.matchedToken = false;
    a.matchedName = false;
    a.matchedAll = false;
    if (a.subargs) clearMatched(a.subargs);
  }
}

/** C's sscanf("%lld") success: optional blanks, sign, a digit. */
function scansInteger(w: string): boolean {
  return /^[ \t\n\v\f\r]*[+-]?\d/.test(w);
}

/** C's sscanf("%lf") success. */
function scansDouble(w: string): boolean {
  return /^[ \t\n\v\f\r]*[+-]?(\d|\.\d|inf|nan|0x[0-9a-f])/i.test(w);
}

function matchNoTokenArg(words: string[], at: number, n: number, arg: ArgSpec): number {
  switch (arg.type) {
    case 'block': {
      arg.matched += matchArgs(words, at, n, arg.subargs ?? []);
      // A block matches once all its parts did.
      arg.matchedAll = (arg.subargs ?? []).every((s) => s.matchedAll);
      break;
    }
    case 'oneof': {
      for (const s of arg.subargs ?? []) {
        if (matchArg(words, at, n, s)) {
          arg.matched += s.matched;
          arg.matchedAll = s.matchedAll;
          break;
        }
      }
      break;
    }
    case 'integer':
    case 'unix-time':
      if (scansInteger(words[at])) {
        arg.matched += 1;
        arg.matchedName = true;
        arg.matchedAll = true;
      } else {
        arg.matched = 0;
        arg.matchedName = false;
      }
      break;
    case 'double':
      if (scansDouble(words[at])) {
        arg.matched += 1;
        arg.matchedName = true;
        arg.matchedAll = true;
      } else {
        arg.matched = 0;
        arg.matchedName = false;
      }
      break;
    default:
      arg.matched += 1;
      arg.matchedName = true;
      arg.matchedAll = true;
  }
  return arg.matched;
}

function matchToken(word: string, arg: ArgSpec): boolean {
  if (arg.token!.toLowerCase() !== word.toLowerCase()) return false;
  arg.matchedToken = true;
  arg.matched = 1;
  return true;
}

function matchArgOnce(words: string[], at: number, n: number, arg: ArgSpec): number {
  if (arg.token !== null) {
    if (!matchToken(words[at], arg)) return 0;
    if (arg.type === 'pure-token') {
      arg.matchedAll = true;
      return 1;
    }
    if (n === 1) return 1;
    at++;
    n--;
  }
  if (!matchNoTokenArg(words, at, n, arg)) return 0;
  return arg.matched;
}

function matchArg(words: string[], at: number, n: number, arg: ArgSpec): number {
  let matchedOnce = matchArgOnce(words, at, n, arg);
  if (!arg.multiple) return matchedOnce;
  // A repeated argument is matched as many times as it can be.
  let matchedWords = matchedOnce;
  while (arg.matchedAll && matchedWords < n) {
    clearMatched([arg]);
    if (arg.token !== null && !arg.multipleToken) {
      // The token came once; later repetitions are its values only.
      matchedOnce = matchNoTokenArg(words, at + matchedWords, n - matchedWords, arg);
      if (arg.matched) arg.matchedToken = true;
    } else {
      matchedOnce = matchArgOnce(words, at + matchedWords, n - matchedWords, arg);
    }
    matchedWords += matchedOnce;
  }
  arg.matchedAll = false; // more repetitions may follow
  return matchedWords;
}

function matchOneOptionalArg(words: string[], at: number, n: number, args: ArgSpec[], from: number, to: number): [number, number] {
  for (let i = from; i < to && n > 0; i++) {
    if (args[i].matched) continue;
    const m = matchArg(words, at, n, args[i]);
    if (m !== 0) return [m, i];
  }
  return [0, -1];
}

/** Consecutive optional arguments may come in any order. */
function matchOptionalArgs(words: string[], at: number, n: number, args: ArgSpec[], from: number, to: number): number {
  let next = 0;
  let last = -1;
  while (next < n) {
    const [m, which] = matchOneOptionalArg(words, at + next, n - next, args, from, to);
    if (m === 0) break;
    // An earlier optional argument is complete once another one starts.
    if (last !== -1) args[last].matchedAll = true;
    last = which;
    next += m;
  }
  return next;
}

function matchArgs(words: string[], at: number, n: number, args: ArgSpec[]): number {
  let next = 0;
  for (let i = 0; next < n && i < args.length; i++) {
    let m: number;
    if (args[i].optional) {
      let last = i;
      while (last < args.length && args[last].optional) last++;
      m = matchOptionalArgs(words, at + next, n - next, args, i, last);
      i = last - 1;
    } else {
      m = matchArg(words, at + next, n - next, args[i]);
      if (m === 0) return 0;
    }
    next += m;
  }
  return next;
}

class Hint {
  s = '';
}

function addSeparator(h: Hint, len: { v: number }, sep: string, isLast: boolean): void {
  if (h.s.length > len.v && !isLast) {
    h.s += sep;
    len.v = h.s.length;
  }
}

function addHintForArguments(h: Hint, args: ArgSpec[], sep: string): void {
  const len = { v: h.s.length };
  for (let i = 0; i < args.length; i++) {
    if (!args[i].optional) {
      addHintForArgument(h, args[i]);
      addSeparator(h, len, sep, i === args.length - 1);
      continue;
    }
    // A group of optional arguments: the one being typed comes first.
    let j: number;
    let incomplete = -1;
    for (j = i; j < args.length; j++) {
      if (!args[j].optional) break;
      if (args[j].matched !== 0 && !args[j].matchedAll) {
        addHintForArgument(h, args[j]);
        addSeparator(h, len, sep, i === args.length - 1);
        incomplete = j;
      }
    }
    // The rest of the group, unless the required argument after it started.
    if (j === args.length || args[j].matched === 0) {
      for (; i < j; i++) {
        if (incomplete !== i && args[i].matched === 0) {
          addHintForArgument(h, args[i]);
          addSeparator(h, len, sep, i === args.length - 1);
        }
      }
    }
    i = j - 1;
  }
}

function addHintForRepeatedArgument(h: Hint, arg: ArgSpec): void {
  if (!arg.multiple) return;
  // The repeated part is a fixed unit: shown whole, after clearing the matches (redis-cli clears the
  // argument's own flag too, which is why a partly typed optional argument ends with an unbalanced "]").
  clearMatched([arg]);
  if (h.s !== '') h.s += ' ';
  h.s += '[';
  if (arg.multipleToken) {
    h.s += orEmpty(arg.token ?? '');
    if (arg.type !== 'pure-token') h.s += ' ';
  }
  if (arg.type === 'oneof') addHintForArguments(h, arg.subargs ?? [], '|');
  else if (arg.type === 'block') addHintForArguments(h, arg.subargs ?? [], ' ');
  else if (arg.type !== 'pure-token') h.s += orEmpty(arg.displayText ?? arg.name);
  h.s += ' ...]';
}

function addHintForArgument(h: Hint, arg: ArgSpec): void {
  if (arg.matchedAll) return;
  if (arg.optional && !arg.matched) h.s += '[';
  if (arg.token !== null && !arg.matchedToken) {
    h.s += orEmpty(arg.token);
    if (arg.type !== 'pure-token') h.s += ' ';
  }
  if (arg.type === 'oneof') {
    if (arg.matched === 0) addHintForArguments(h, arg.subargs ?? [], '|');
    else for (const s of arg.subargs ?? []) if (s.matched !== 0) addHintForArgument(h, s);
  } else if (arg.type === 'block') {
    addHintForArguments(h, arg.subargs ?? [], ' ');
  } else if (arg.type !== 'pure-token') {
    if (!arg.matchedName) h.s += orEmpty(arg.displayText ?? arg.name);
  }
  addHintForRepeatedArgument(h, arg);
  if (arg.optional && !arg.matched) h.s += ']';
}

function makeHint(words: string[], argc: number, cmdlen: number, docs: CommandDocs): string {
  if (docs.args) {
    clearMatched(docs.args);
    const h = new Hint();
    const n = argc - cmdlen;
    const matched = n > 0 ? matchArgs(words, cmdlen, n, docs.args) : 0;
    if (matched === n) addHintForArguments(h, docs.args, ' ');
    return h.s;
  }
  // Without argument specs: the syntax line minus the words already typed.
  let params = docs.params ?? '';
  let skip = argc - cmdlen;
  while (skip-- > 0 && params !== '') {
    const sp = params.indexOf(' ');
    params = sp < 0 ? '' : params.slice(sp + 1);
  }
  return params;
}

function findHelpEntry(argc: number, argv: string[]): HelpEntry | null {
  let best: HelpEntry | null = null;
  let matchlen = 0;
  for (const e of helpEntries ?? []) {
    if (e.isGroup) continue;
    if (e.argv.length <= argc && e.argv.length > matchlen) {
      let j = 0;
      while (j < e.argv.length && e.argv[j].toLowerCase() === argv[j].toLowerCase()) j++;
      if (j === e.argv.length) {
        matchlen = j;
        best = e;
      }
    }
  }
  return best;
}

/** The hint for a partly typed line; null when there is none. */
export function hintForInput(line: string): string | null {
  const words = splitArgs(line);
  if (words === null) return null;
  const endspace = line.length > 0 && /\s/.test(line[line.length - 1]);
  // The last word counts only once a space follows it.
  const argc = endspace ? words.length : words.length - 1;
  if (argc <= 0) return null;
  const e = findHelpEntry(argc, words);
  if (e === null || e.docs === null) return null;
  return makeHint(words, argc, e.argv.length, e.docs);
}

/** Tab completion: command names (and group names after "help "). */
export function completions(line: string): string[] {
  let start = 0;
  let groups = false;
  if (line.slice(0, 5).toLowerCase() === 'help ') {
    start = 5;
    while (start < line.length && /\s/.test(line[start])) start++;
    groups = true;
  }
  const typed = line.slice(start).toLowerCase();
  const out: string[] = [];
  for (const e of helpEntries ?? []) {
    if (e.isGroup && !groups) continue;
    if (e.full.toLowerCase().startsWith(typed)) out.push(line.slice(0, start) + e.full);
  }
  return out;
}

/** --test_hint: prints the hint for one input. */
export async function testHint(cli: Cli, input: string): Promise<never> {
  await initHelp(cli);
  const h = hintForInput(input);
  if (h === null) io.exit(1);
  io.out(h + '\n');
  io.exit(0);
}

/** --test_hint_file: a file of "input" "expected hint" lines. */
export async function testHintSuite(cli: Cli, file: string): Promise<never> {
  await initHelp(cli);
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (e) {
    io.err(`Can't open file '${file}': ${strerror(e)}\n`);
    io.exit(255);
  }
  let pass = 0;
  let fail = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const argv = splitArgs(line);
    if (argv === null || argv.length !== 2) continue;
    // Hints may end with a separator; the suite's expectations do not.
    const h = hintForInput(argv[0]);
    const hint = h === null ? null : h.replace(/ +$/, '');
    if (hint === argv[1]) pass++;
    else {
      fail++;
      io.out(`Test case '${argv[0]}' FAILED: expected '${argv[1]}', got '${hint ?? '(null)'}'\n`);
    }
  }
  io.out(`${fail === 0 ? 'SUCCESS' : 'FAILURE'}: ${pass}/${pass + fail} passed\n`);
  io.exit(fail === 0 ? 0 : 1);
}
