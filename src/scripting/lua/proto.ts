// A compiled function prototype: its JavaScript body and the debug
// information errors and tracebacks read.

import type { FrameBody } from './frame.js';

export interface Proto {
  body: FrameBody;
  /** Chunk name as shown in messages (luaO_chunkid applied). */
  source: string;
  /** Line where the function was defined (0 for the main chunk). */
  line: number;
  lastLine: number;
  numParams: number;
  isVararg: boolean;
  /** Line of each site (a call, an operation that can fail, a resume point). */
  siteLine: number[];
  /** How the value a site operates on was named ("local 'x'", "global 'f'", ...), or null. */
  siteName: (string | null)[];
  /** Second operand's name for binary sites. */
  siteName2: (string | null)[];
  /** For concatenations: the name of each operand. */
  siteNames: ((string | null)[] | null)[];
  /** For call sites: the called function's name kind and name (getfuncname), else null. */
  siteCall: ([string, string] | null)[];
  /** Slots live at each resume point (restored on resumption). */
  tops: number[];
  upvalNames: string[];
}
