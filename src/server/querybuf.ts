// What Redis's per-client query buffer would hold, for CLIENT LIST/INFO's
// qbuf, qbuf-free and tot-mem.
//
// Spinel reads every socket into one shared buffer and keeps only unfinished
// tails per client, so it has no per-client buffer to report. Redis 7.2 keeps
// an sds string per client: it grows to PROTO_IOBUF_LEN (16 KB) on the first
// read, greedily when reads need more, to a big argument's whole length when
// one is announced, and clientsCron gives the space back when the client is
// idle for over 2 s or its buffer is more than twice its recent peak. This
// model follows those rules, with the allocation sizes jemalloc and sds
// would give (size classes, sds header sizes), so the figures move the way
// Redis's do. The split of a request into reads differs between the two
// servers, so the free space is a close model, not a copy.

/** Redis's PROTO_IOBUF_LEN: the read size. */
const IOBUF_LEN = 16 * 1024;
/** Redis's PROTO_RESIZE_THRESHOLD. */
const RESIZE_THRESHOLD = 32 * 1024;
/** sds greedy growth doubles up to this, then adds it (SDS_MAX_PREALLOC). */
const SDS_MAX_PREALLOC = 1024 * 1024;

/** jemalloc's size class for an allocation of n bytes (4 classes per power of two above 64 bytes). */
export function jemallocSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 64) return Math.ceil(n / 16) * 16;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** Header size of an sds string able to hold `len` bytes (sdshdr8/16/32/64). */
function sdsHeader(len: number): number {
  return len < 256 ? 3 : len < 65536 ? 5 : len < 2 ** 32 ? 9 : 17;
}

/** Usable space of an sds buffer allocated for `len` bytes (what sdsalloc reports). */
export function sdsUsable(len: number): number {
  const hdr = sdsHeader(len);
  return jemallocSize(hdr + len + 1) - hdr - 1;
}

export class QueryBufModel {
  /** sdsalloc(querybuf): bytes the buffer holds room for. */
  alloc = 0;
  /** querybuf_peak: the most it needed since the last cron visit. */
  peak = 0;

  /** Before a read (readQueryFromClient): room for `readlen` more bytes after `len`. */
  beforeRead(len: number, bigRemaining: number): void {
    const readlen = bigRemaining > 0 ? bigRemaining : IOBUF_LEN;
    if (bigRemaining > 0 || this.alloc < IOBUF_LEN) {
      this.makeRoom(len, readlen, false);
      if (this.peak < len + readlen) this.peak = len + readlen;
    } else this.makeRoom(len, readlen, true);
  }

  /** After a read of `nread` bytes into a buffer of `len`: Redis would have read the excess in more reads, growing greedily. */
  afterRead(len: number, nread: number): void {
    while (len + nread > this.alloc) this.makeRoom(this.alloc, IOBUF_LEN, true);
    if (this.peak < len + nread) this.peak = len + nread;
  }

  /** A big argument (PROTO_MBULK_BIG_ARG or more) was announced: room for all of it. */
  bigArgument(len: number, bulkLen: number): void {
    if (this.alloc < bulkLen + 2) this.makeRoom(len, bulkLen + 2 - len, false);
    if (this.peak < bulkLen + 2) this.peak = bulkLen + 2;
  }

  /** A big argument was taken whole from the buffer: Redis gives it the buffer and allocates a new one of its size. */
  bigArgumentTaken(bulkLen: number): void {
    this.alloc = sdsUsable(bulkLen + 2);
  }

  /**
   * clientsCronResizeQueryBuffer: frees the space of an idle client (idle over
   * 2 s), trims a buffer more than twice its recent peak, and restarts the peak.
   */
  cron(len: number, idleSeconds: number, pendingBulk: number): void {
    if (this.alloc - len > 4 * 1024) {
      if (idleSeconds > 2) this.alloc = len;
      else if (this.alloc > RESIZE_THRESHOLD && this.alloc / 2 > this.peak) {
        let size = Math.max(len, this.peak);
        if (pendingBulk >= 0 && size < pendingBulk + 2) size = pendingBulk + 2;
        this.alloc = size;
      }
    }
    this.peak = len;
    if (pendingBulk >= 0 && pendingBulk + 2 > this.peak) this.peak = pendingBulk + 2;
  }

  /** sdsMakeRoomFor (greedy) / sdsMakeRoomForNonGreedy. */
  private makeRoom(len: number, add: number, greedy: boolean): void {
    if (this.alloc - len >= add) return;
    let want = len + add;
    if (greedy) want = want < SDS_MAX_PREALLOC ? want * 2 : want + SDS_MAX_PREALLOC;
    this.alloc = sdsUsable(want);
  }
}
