// --eval and the Lua debugger (--ldb, --ldb-sync-mode): a script file sent
// with EVAL (keys and arguments separated by a lone ","), or debugged with
// SCRIPT DEBUG through the prompt. The debugger's status lines are colored by
// their prefix on an xterm, as redis-cli does.

import fs from 'node:fs';
import { CC, type Cli } from './cli.js';
import { strerror } from './connection.js';
import { T, type Reply } from './resp.js';
import { formatRaw, Output } from './format.js';
import { isColorTerm, repl } from './repl.js';
import * as io from './io.js';

export function colored(s: string, color: string): string {
  if (!isColorTerm()) return s;
  const bold = color.includes('bold') ? 1 : 0;
  let code = 37;
  if (color.includes('red')) code = 31;
  else if (color.includes('green')) code = 32;
  else if (color.includes('yellow')) code = 33;
  else if (color.includes('blue')) code = 34;
  else if (color.includes('magenta')) code = 35;
  else if (color.includes('cyan')) code = 36;
  return `\x1b[${bold};${code};49m${s}\x1b[0m`;
}

function ldbLine(s: string): string {
  let color = 'white';
  if (s.includes('<debug>')) color = 'bold';
  if (s.includes('<redis>')) color = 'green';
  if (s.includes('<reply>')) color = 'cyan';
  if (s.includes('<error>')) color = 'red';
  if (s.includes('<hint>')) color = 'bold';
  if (s.includes('<value>') || s.includes('<retval>')) color = 'magenta';
  if (s.length > 4 && /\d/.test(s[3])) {
    if (s[1] === '>') color = 'yellow'; // the current line
    else if (s[2] === '#') color = 'bold'; // a breakpoint
  }
  return colored(s, color);
}

/** The raw form while debugging: status lines colored, "<endsession>" ends the session. */
export function formatRawLdb(cli: Cli, r: Reply): string {
  const c = cli.config;
  if (r.type === T.Status) {
    if (r.str.startsWith('<endsession>')) {
      cli.enableLdbOnEval = false;
      c.evalLdb = false;
      cli.evalLdbEnd = true;
      c.output = Output.Standard;
      cli.refreshPrompt();
      return '';
    }
    return ldbLine(r.str);
  }
  if (r.type === T.Array || r.type === T.Set || r.type === T.Push) {
    return r.elements!.map((e) => formatRawLdb(cli, e)).join(c.mbDelim);
  }
  return formatRaw(r, c.mbDelim);
}

export async function runEvalMode(cli: Cli, args: string[], file: string): Promise<number> {
  const c = cli.config;
  let ok = true;
  for (;;) {
    if (c.evalLdb) {
      io.out(
        'Lua debugging session started, please use:\n' +
          'quit    -- End the session.\n' +
          'restart -- Restart the script in debug mode again.\n' +
          'help    -- Show Lua script debugging commands.\n\n',
      );
      io.flush();
    }
    let script: string;
    try {
      script = fs.readFileSync(file, 'latin1');
    } catch (e) {
      io.err(`Can't open file '${file}': ${strerror(e)}\n`);
      io.exit(1);
    }
    if (c.evalLdb) {
      try {
        await cli.conn!.command('SCRIPT', 'DEBUG', c.evalLdbSync ? 'sync' : 'yes');
      } catch {
        /* the EVAL below reports the connection */
      }
    }
    const keys: string[] = [];
    const argv: string[] = [];
    let gotComma = false;
    for (const a of args) {
      if (!gotComma && a === ',') {
        gotComma = true;
        continue;
      }
      (gotComma ? argv : keys).push(a);
    }
    const evalLdb = c.evalLdb;
    ok = await cli.issueCommandRepeat(['EVAL', script, String(keys.length), ...keys, ...argv], c.repeat);
    if (!evalLdb) break;
    if (!c.evalLdb) {
      // The session ended at once: the script did not compile.
      io.out("Eval debugging session can't start:\n");
      await cli.readReply(false);
      break;
    }
    const r = await repl(cli);
    if (r !== 'restart') break;
    await cli.connect(CC.Force);
    io.out('\n');
  }
  return ok ? 0 : 1;
}
