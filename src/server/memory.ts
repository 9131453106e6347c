// Memory limits: the one "over the limit" check the dispatcher makes before
// a command that may grow memory (Redis's out-of-memory check in
// processCommand), and the heap guard behind it.
//
// The heap guard. V8 aborts the process ("JavaScript heap out of memory")
// when its heap cannot grow any more, and no code can catch that. So Spinel
// treats a safe heap size as if it were `maxmemory`: above it, commands
// flagged `denyoom` (and, inside MULTI, every command but EXEC, DISCARD, QUIT
// and RESET) are refused with Redis's -OOM error, while reads, deletions and
// FLUSHALL keep working (docs/compatibility.md).
//
//   heap_size_limit   V8's limit (--max-old-space-size plus the new space)
//   guard limit       3/4 of it: deny-oom commands are refused above this
//
// The guard stays below 80% of the heap because V8 also gives up
// ("ineffective mark-compacts near heap limit") when its full collections
// keep finding that much live data while the program barely runs.
//
// What grows the heap. Keys, small values and collection entries: several
// times the input bytes that carry them. Strings of 1 MB or more made from
// input are not on the heap: Node makes them external strings (Buffer
// memory, counted in INFO's used_memory but not against V8's limit). Values
// a command builds from a smaller input (SETRANGE with a large offset,
// APPEND, the bit commands) are ByteStrings (src/types/bytes.ts), whose
// bytes are Buffer memory too.
//
// Cost on the hot path: the dispatcher reads one boolean (`oom`), and each
// read from a socket compares the input byte count with `nextCheckAt`. The
// heap is measured with v8.getHeapStatistics() (~1 µs) by the cron, every
// `step` bytes of input, and on each
// refusal, so a burst of writes cannot outrun the margin between two cron
// ticks.
//
// V8 collects garbage lazily, so a measure above the guard limit may be
// mostly garbage: the guard confirms it with a full collection before
// refusing writes, and while refusing, confirms again when the data set has
// changed (a DEL or FLUSHALL may have made room). Forced collections are
// kept to about a tenth of the time.
//
// maxmemory (eviction, issue #19) plugs in here: `oom` then also stays set
// while maxmemory is configured, and overLimit() compares usedMemory()
// (INFO's used_memory) with it and evicts.

import v8 from 'node:v8';
import vm from 'node:vm';
import { ClientFlag, type Client } from './client.js';
import { CmdFlag, type Command } from '../commands/types.js';
import type { Server } from './server.js';

/** Redis's shared.oomerr. */
export const OOM_ERROR = "OOM command not allowed when used memory > 'maxmemory'.";

/** Commands a client in MULTI may still send when out of memory (Redis's processCommand). */
const MULTI_ALLOWED_WHEN_OOM = new Set(['exec', 'discard', 'quit', 'reset']);

/** The guard limit, as a fraction of V8's heap_size_limit. */
const GUARD_FRACTION = 0.75;

/** INFO's used_memory: V8's used heap plus the memory of Buffers and external strings, as process.memoryUsage() has them. */
export function usedMemory(): number {
  const s = v8.getHeapStatistics();
  return s.used_heap_size + s.external_memory;
}

/** What the guard reads of the heap, and its clock (V8's and performance.now(), or stand-ins in tests). */
export interface HeapProbe {
  /** V8's heap_size_limit. */
  readonly limit: number;
  /** The used heap now. */
  used(): number;
  /** Runs a full collection; false where that is not possible. */
  collect(): boolean;
  /** A clock in ms, to time collections. */
  now(): number;
}

/** The process's V8 heap. */
export function v8Heap(): HeapProbe {
  return {
    limit: v8.getHeapStatistics().heap_size_limit,
    used: () => v8.getHeapStatistics().used_heap_size,
    collect: () => {
      const gc = fullGc();
      if (gc === null) return false;
      gc();
      return true;
    },
    now: () => performance.now(),
  };
}

/** V8's gc(), from a context created for it (once), or null where V8 does not allow it. */
let forceGc: (() => void) | null | undefined;
function fullGc(): (() => void) | null {
  if (forceGc === undefined) {
    forceGc = null;
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (typeof exposed === 'function') forceGc = exposed;
    else {
      try {
        // The flag applies to the contexts created while it is set: only this one gets gc().
        v8.setFlagsFromString('--expose-gc');
        forceGc = vm.runInNewContext('gc') as () => void;
      } catch {
        forceGc = null;
      } finally {
        v8.setFlagsFromString('--no-expose-gc');
      }
    }
  }
  return forceGc;
}

export class MemoryGuard {
  /**
   * Set while the heap is over the guard limit (as last measured): the
   * dispatcher then asks oomRejects(). The only test on the hot path.
   */
  oom = false;
  /** V8's heap_size_limit. */
  readonly heapLimit: number;
  /** Heap use above which deny-oom commands are refused. */
  readonly guardLimit: number;
  /** Bytes of input between two measures. */
  readonly step: number;
  /** V8's used heap at the last measure. */
  used = 0;
  /** server.stats.netInputBytes at which the next measure is due. */
  nextCheckAt = 0;
  /** The over-limit verdict was confirmed by a full collection, when the data set had changed `confirmedAt` times. */
  private confirmed = false;
  private confirmedAt = -1;
  /** The last forced collection: when it ended (heap.now()), how long it took, how many keys there were. */
  private gcEnd = -Infinity;
  private gcMs = 0;
  private gcKeys = 0;

  constructor(private readonly heap: HeapProbe = v8Heap()) {
    const heapLimit = heap.limit;
    this.heapLimit = heapLimit;
    this.guardLimit = Math.floor(heapLimit * GUARD_FRACTION);
    // Small writes grow the heap several times their input (key, value,
    // object, table entry): a step of 1/64 of the margin keeps a burst well
    // inside it (64 KB to 8 MB).
    this.step = Math.min(8 * 1024 * 1024, Math.max(64 * 1024, Math.floor((heapLimit - this.guardLimit) / 64)));
    this.used = heap.used();
    this.nextCheckAt = this.step;
  }

  /** Reads V8's used heap (no collection). */
  private measure(server: Server): void {
    this.used = this.heap.used();
    this.nextCheckAt = server.stats.netInputBytes + this.step;
  }

  /** Re-measures the heap and sets `oom`: the cron, every `step` bytes of input or counted values, each refusal. */
  check(server: Server): void {
    this.measure(server);
    let over = this.used > this.guardLimit;
    if (over && !(this.confirmed && this.confirmedAt === dataChanges(server)) && this.collect(server)) over = this.used > this.guardLimit;
    if (!over) this.confirmed = false;
    this.setOom(server, over);
  }

  /**
   * The one over-limit predicate: true when memory is over the limit (with
   * the heap guard: over the guard limit, confirmed by a full collection
   * since the data set last changed). Asked only while `oom` is set.
   */
  overLimit(server: Server): boolean {
    this.check(server);
    return this.oom;
  }

  /**
   * A full collection, if allowed now: re-measures and records the
   * confirmation. Forced collections are kept to about a tenth of the time;
   * one costs about the live data, estimated from the last one by the number
   * of keys (so after FLUSHALL the next one is allowed at once).
   */
  private collect(server: Server): boolean {
    const start = this.heap.now();
    const keys = server.keyspace.totalKeys();
    const expectedMs = (this.gcMs * (keys + 1)) / (this.gcKeys + 1);
    if (start < this.gcEnd + 9 * expectedMs || !this.heap.collect()) {
      this.confirmed = false;
      return false;
    }
    this.gcEnd = this.heap.now();
    this.gcMs = this.gcEnd - start;
    this.gcKeys = keys;
    this.measure(server);
    this.confirmed = true;
    this.confirmedAt = dataChanges(server);
    server.log.verbose(`Heap guard: a full collection took ${this.gcMs.toFixed(1)} ms, heap ${mb(this.used)}`);
    return true;
  }

  private setOom(server: Server, over: boolean): void {
    if (over === this.oom) return;
    this.oom = over;
    if (over) {
      server.log.warning(
        `Heap guard: the heap (${mb(this.used)}) is over the safe size ${mb(this.guardLimit)} of V8's ${mb(this.heapLimit)} limit: ` +
          'commands that may grow memory are refused (OOM) until memory is freed',
      );
    } else server.log.notice(`Heap guard: the heap (${mb(this.used)}) is back under the safe size ${mb(this.guardLimit)}: writes are accepted`);
  }

  /** A warning when maxmemory is above what the guard lets the heap hold, else null. */
  maxmemoryWarning(maxmemory: number): string | null {
    if (maxmemory <= this.guardLimit) return null;
    return (
      `WARNING maxmemory ${maxmemory} is above the heap guard's safe size ${this.guardLimit} (V8 heap limit ${this.heapLimit}): ` +
      'writes will be refused there first. Set maxmemory in the config file or on the command line so that spinel-server sizes the heap for it, ' +
      'or raise --max-old-space-size in NODE_OPTIONS.'
    );
  }
}

/** Changes that may have freed memory: writes (DEL, FLUSHALL, ...), expired and evicted keys. */
function dataChanges(server: Server): number {
  const st = server.keyspace.stats;
  return server.dirty + st.expiredKeys + st.evictedKeys;
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(1)} MB`;
}

/**
 * Redis's reject_cmd_on_oom: whether the command is refused because memory
 * is over the limit. Asked by the dispatcher only while `oom` is set.
 * (EXEC of a transaction holding deny-oom commands is refused too: once
 * MULTI queues commands, the transactions module passes their flags.)
 */
export function oomRejects(c: Client, cmd: Command, queuedFlags = 0, flags = cmd.flagBits): boolean {
  const deny =
    (flags & CmdFlag.DenyOom) !== 0 ||
    (cmd.fullName === 'exec' && (queuedFlags & CmdFlag.DenyOom) !== 0) ||
    ((c.flags & ClientFlag.Multi) !== 0 && !MULTI_ALLOWED_WHEN_OOM.has(cmd.fullName));
  return deny && c.server.memory.overLimit(c.server);
}
