// --askpass: reads a password from the terminal without echoing it (a '*'
// per character), or a line from stdin when it is not a terminal.

import tty from 'node:tty';
import fs from 'node:fs';
import * as io from './io.js';

export function askPassword(prompt: string): Promise<string> {
  if (!tty.isatty(0)) {
    let text = '';
    try {
      text = fs.readFileSync(0, 'latin1');
    } catch {
      text = '';
    }
    const nl = text.indexOf('\n');
    return Promise.resolve(nl < 0 ? text : text.slice(0, nl));
  }
  return new Promise((resolve) => {
    const input = process.stdin as tty.ReadStream;
    io.out(prompt);
    io.flush();
    input.setRawMode(true);
    input.resume();
    let pass = '';
    const onData = (d: Buffer): void => {
      for (const b of d) {
        if (b === 13 || b === 10) {
          input.off('data', onData);
          input.setRawMode(false);
          input.pause();
          io.out('\n');
          io.flush();
          resolve(Buffer.from(pass, 'latin1').toString('latin1'));
          return;
        } else if (b === 3) {
          io.out('\n');
          io.exit(1);
        } else if (b === 127 || b === 8) {
          if (pass.length) {
            pass = pass.slice(0, -1);
            io.out('\b \b');
          }
        } else {
          pass += String.fromCharCode(b);
          io.out('*');
        }
      }
      io.flush();
    };
    input.on('data', onData);
  });
}
