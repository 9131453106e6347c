// Direct socket I/O: a reply buffer goes straight to the socket's libuv
// handle instead of through the Writable stream, and reads reach the client
// without net's per-read JS wrapper.
//
// net.Socket#write costs ~2.5 µs per call on top of the syscall (stream state,
// a request object, a nextTick for the completion), which is a quarter of a
// whole request at -P 1. The handle's own writeBuffer tries the write
// synchronously first; when the kernel takes every byte nothing else happens
// and the buffer can be reused at once. When it does not, libuv queues the rest
// behind earlier writes (so ordering with a later socket.end() is kept) and the
// buffer must stay untouched until the write completes.
//
// Reads: net's onStreamRead (timers, symbol lookups, stream state) sits
// between the handle and the `onread` callback on every read. readDirect()
// installs a handler on the handle that passes data reads straight on and
// leaves end of stream and errors to net's own handler.
//
// This needs the WriteWrap constructor of Node's stream binding. Where that is
// not available (another runtime, a future Node), or when the environment sets
// SPINEL_STREAM_WRITES=1, it falls back to socket.write with the same results.

import net, { type Socket } from 'node:net';

interface WriteReq {
  handle: unknown;
  oncomplete: (this: WriteReq, status: number) => void;
  async: boolean;
  bytes: number;
  buffer: Buffer | null;
  client: { writeFailed(): void } | null;
}

interface StreamHandle {
  writeBuffer(req: WriteReq, data: Buffer): number;
  writeQueueSize?: number;
  onread: ((this: StreamHandle, arrayBuffer: unknown) => unknown) | undefined;
}

interface StreamBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: Int32Array;
  kLastWriteWasAsync: number;
  kReadBytesOrError: number;
}

function loadBinding(): StreamBinding | null {
  if (process.env.SPINEL_STREAM_WRITES) return null;
  try {
    const binding = (process as unknown as { binding(name: string): StreamBinding }).binding('stream_wrap');
    if (typeof binding.WriteWrap === 'function' && binding.streamBaseState instanceof Int32Array && typeof binding.kLastWriteWasAsync === 'number' && typeof binding.kReadBytesOrError === 'number') return binding;
  } catch {
    // not available: stream writes
  }
  return null;
}

const binding = loadBinding();
// Module constants: the binding object itself is a slow (dictionary) object.
const streamState = binding !== null ? binding.streamBaseState : null;
const lastWriteWasAsync = binding !== null ? binding.kLastWriteWasAsync : 0;
const readBytesOrError = binding !== null ? binding.kReadBytesOrError : 0;

/** The socket's libuv handle (null once closed). */
function handleOf(socket: Socket): StreamHandle | null {
  return (socket as unknown as { _handle: StreamHandle | null })._handle;
}

/** A socket's handle as writeTo takes it (opaque to callers). */
export type SocketHandle = StreamHandle | null;

/**
 * The socket's handle, to be read once per connection and passed to every
 * writeTo: net's `_handle` is a getter whose symbol-keyed load is
 * megamorphic (it sees every kind of socket in the process), ~0.1 µs a call.
 * A handle that has been closed since answers writes with an error, which
 * writeTo reports as Failed.
 */
export function socketHandle(socket: Socket): SocketHandle {
  return binding === null ? null : handleOf(socket);
}

/**
 * Makes reads of a socket created with net's `onread: { buffer, callback }`
 * call `onRead(nread)` straight from the handle. Returns false (and changes
 * nothing) where the handle does not allow it; the socket's own `onread`
 * callback then keeps working.
 */
export function readDirect(socket: Socket, onRead: (nread: number) => void): boolean {
  const handle = handleOf(socket);
  if (streamState === null || handle === null) return false;
  const netOnRead = handle.onread;
  if (typeof netOnRead !== 'function') return false;
  const state = streamState;
  handle.onread = function (this: StreamHandle, arrayBuffer: unknown): unknown {
    // No socket.destroyed check here (a getter over both stream states, on
    // every read): a closed handle gets no more reads, and the server's
    // callback ignores data for a client it has already closed.
    const nread = state[readBytesOrError];
    if (nread > 0) {
      onRead(nread);
      return undefined;
    }
    return netOnRead.call(this, arrayBuffer);
  };
  return handle.onread !== netOnRead;
}

/**
 * Re-wraps an accepted socket (from a server with pauseOnConnect) in one that
 * reads into `buffer` (net's `onread` option: no allocation per read, no
 * stream 'data' machinery), straight from the handle where readDirect allows.
 * `onRead(nread)` finds each read's bytes at the start of `buffer`, valid
 * until it returns. The server and scripts/bench-floor.mjs both use it, so
 * the floor measures the server's own I/O path.
 */
export function adoptWithSharedReads(accepted: Socket, buffer: Buffer, onRead: (nread: number) => void): Socket {
  const sock = new net.Socket({ handle: handleOf(accepted), readable: true, writable: true, onread: { buffer, callback: onRead } } as net.SocketConstructorOpts);
  readDirect(sock, onRead);
  return sock;
}

/** Completion of a write that libuv had to queue. */
function onWriteComplete(this: WriteReq, status: number): void {
  this.buffer = null;
  if (status < 0 && this.client !== null) this.client.writeFailed();
  this.client = null;
}

/** A request object that no native write holds yet (a synchronous write leaves it unused). */
let spare: WriteReq | null = null;

/** Outcome of writeTo: the buffer may be reused, must be left alone, or the socket failed. */
export const enum WriteResult {
  Done = 0,
  Queued = 1,
  Failed = 2,
}

/**
 * Writes data to the socket through its handle (socketHandle(socket), read
 * when the connection was set up). Done: every byte reached the kernel and
 * data may be reused; Queued: data is held until the write completes (never
 * modify it); Failed: the connection is broken.
 */
export function writeTo(socket: Socket, handle: SocketHandle, data: Buffer, owner: { writeFailed(): void }): WriteResult {
  if (binding === null || handle === null || typeof handle.writeBuffer !== 'function') {
    if (socket.destroyed) return WriteResult.Failed;
    socket.write(data);
    return socket.writableLength === 0 ? WriteResult.Done : WriteResult.Queued;
  }
  let req = spare;
  if (req === null) {
    req = new binding.WriteWrap();
    req.oncomplete = onWriteComplete;
    req.async = false;
    req.bytes = 0;
    req.buffer = null;
    req.client = null;
    spare = req;
  }
  req.handle = handle;
  const err = handle.writeBuffer(req, data);
  if (err !== 0) return WriteResult.Failed;
  if (streamState![lastWriteWasAsync] === 0) return WriteResult.Done;
  // libuv now owns this request: keep the data alive through it, use a new one next time.
  req.async = true;
  req.buffer = data;
  req.client = owner;
  spare = null;
  return WriteResult.Queued;
}

/** Bytes the kernel has not accepted yet for this socket (CLIENT LIST omem, events=w). */
export function pendingBytes(socket: Socket): number {
  const handle = handleOf(socket);
  const q = handle !== null && typeof handle.writeQueueSize === 'number' ? handle.writeQueueSize : 0;
  return q + socket.writableLength;
}

/** Bytes queued in the socket's write queue (the handle read once per connection, as for writeTo). */
export function queuedBytes(socket: Socket, handle: SocketHandle): number {
  if (handle !== null && typeof handle.writeQueueSize === 'number') return handle.writeQueueSize;
  return socket.writableLength;
}
