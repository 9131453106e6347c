// Direct socket I/O (src/server/socket-io.ts): reads straight from the
// handle, writes through a handle read once per connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readDirect, socketHandle, writeTo, WriteResult } from '../../src/server/socket-io.js';

const forcedStreamWrites = process.env.SPINEL_STREAM_WRITES ? 'SPINEL_STREAM_WRITES set: the stream binding is not used' : false;

test('readDirect passes reads straight on and leaves end of stream to net', { skip: forcedStreamWrites }, async () => {
  const buffer = Buffer.alloc(1024);
  const got: string[] = [];
  let direct = false;
  const ended = new Promise<void>((resolve) => {
    const server = net.createServer((accepted) => {
      const handle = (accepted as unknown as { _handle: unknown })._handle;
      const sock = new net.Socket({ handle, readable: true, writable: true, onread: { buffer, callback: () => got.push('net') } } as net.SocketConstructorOpts);
      direct = readDirect(sock, (n) => got.push(buffer.toString('latin1', 0, n)));
      sock.on('end', () => {
        sock.destroy();
        server.close();
        resolve();
      });
      sock.resume();
    });
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      const client = net.connect(port, '127.0.0.1', () => {
        client.write('hello', () => setTimeout(() => client.end(), 50));
      });
    });
  });
  await ended;
  assert.ok(direct, 'direct reads not available on this Node');
  assert.deepEqual(got, ['hello']);
});

test('writeTo through a handle read before the socket closed reports Failed, never throws', { skip: forcedStreamWrites }, async () => {
  const results: WriteResult[] = [];
  let failures = 0;
  const owner = { writeFailed: () => failures++ };
  await new Promise<void>((resolve) => {
    const server = net.createServer((accepted) => {
      const handle = (accepted as unknown as { _handle: unknown })._handle;
      const sock = new net.Socket({ handle, readable: true, writable: true } as net.SocketConstructorOpts);
      const h = socketHandle(sock);
      results.push(writeTo(sock, h, Buffer.from('+OK\r\n'), owner));
      sock.destroy();
      // Right after destroy (handle closing) and after its close callback.
      results.push(writeTo(sock, h, Buffer.from('+OK\r\n'), owner));
      setTimeout(() => {
        results.push(writeTo(sock, h, Buffer.from('+OK\r\n'), owner));
        server.close();
        resolve();
      }, 50);
    });
    server.listen(0, '127.0.0.1', () => {
      const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      client.on('error', () => {});
    });
  });
  assert.deepEqual(results, [WriteResult.Done, WriteResult.Failed, WriteResult.Failed]);
  assert.equal(failures, 0, 'writeTo reports, the caller decides');
});
