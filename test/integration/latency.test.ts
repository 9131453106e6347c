// LATENCY: the latency monitor (latency-monitor-threshold, 'command' events
// from the dispatcher), LATEST / HISTORY / GRAPH / RESET / DOCTOR, and the
// per-command HISTOGRAM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSpinel, type SpinelHandle } from '../helpers/servers.js';
import { RawClient, type RespValue } from '../helpers/resp.js';

let s: SpinelHandle;
before(async () => {
  s = await startSpinel({ 'enable-debug-command': 'yes' });
});
after(() => s.close());

test('latency monitor: disabled by default; slow commands become "command" events', async () => {
  const c = await RawClient.connect(s.port);
  try {
    assert.equal(await c.call('LATENCY', 'LATEST'), '*0\r\n');
    assert.match(await c.call('LATENCY', 'DOCTOR'), /I'm sorry, Dave, I can't do that\. Latency monitoring is disabled/);
    assert.equal(await c.call('DEBUG', 'SLEEP', '0.02'), '+OK\r\n');
    assert.equal(await c.call('LATENCY', 'LATEST'), '*0\r\n');
    s.server.config.set('latency-monitor-threshold', 10);
    assert.match(await c.call('LATENCY', 'DOCTOR'), /^\$\d+\r\nDave, no latency spike was observed/);
    assert.equal(await c.call('DEBUG', 'SLEEP', '0.03'), '+OK\r\n');
    const latest = (await c.value('LATENCY', 'LATEST')) as RespValue[][];
    assert.equal(latest.length, 1);
    const [event, time, last, max] = latest[0];
    assert.equal(event, 'command');
    assert.ok(Math.abs((time as number) - Date.now() / 1000) < 5);
    assert.ok((last as number) >= 30 && (last as number) < 1000, `latency ${last}`);
    assert.equal(max, last);
    const hist = (await c.value('LATENCY', 'HISTORY', 'command')) as number[][];
    assert.deepEqual(hist, [[time, last]]);
    assert.equal(await c.call('LATENCY', 'HISTORY', 'nope'), '*0\r\n');
    const graph = await c.call('LATENCY', 'GRAPH', 'command');
    assert.match(graph, new RegExp(`^\\$\\d+\\r\\ncommand - high ${last} ms, low ${last} ms \\(all time high ${max} ms\\)\\n-{80}\\n`));
    assert.equal(await c.call('LATENCY', 'GRAPH', 'nope'), "-ERR No samples available for event 'nope'\r\n");
    const doctor = await c.call('LATENCY', 'DOCTOR');
    // (On a loaded machine another command of this test can cross the 10 ms threshold too.)
    assert.match(doctor, /1\. command: \d+ latency spikes? \(average \d+ms, mean deviation \d+ms, period \d+\.\d\d sec\)\. Worst all time event \d+ms\./);
    // slowlog-log-slower-than (10 ms) is not above the threshold (10 ms): no tuning advice.
    assert.doesNotMatch(doctor, /Your current Slow Log configuration/);
    assert.match(doctor, /- Check your Slow Log to understand/);
    assert.equal(await c.call('LATENCY', 'RESET', 'nope', 'command'), ':1\r\n');
    assert.equal(await c.call('LATENCY', 'LATEST'), '*0\r\n');
    await c.call('DEBUG', 'SLEEP', '0.02');
    assert.equal(await c.call('LATENCY', 'RESET'), ':1\r\n');
    // RESP3: GRAPH and DOCTOR are verbatim strings.
    await c.call('DEBUG', 'SLEEP', '0.02');
    await c.call('HELLO', '3');
    assert.match(await c.call('LATENCY', 'GRAPH', 'command'), /^=\d+\r\ntxt:command - high/);
    assert.match(await c.call('LATENCY', 'DOCTOR'), /^=\d+\r\ntxt:Dave, I have observed latency spikes/);
  } finally {
    s.server.config.set('latency-monitor-threshold', 0);
    c.close();
  }
});

test('LATENCY HISTOGRAM: calls and cumulative power-of-two buckets per command', async () => {
  const c = await RawClient.connect(s.port);
  try {
    for (let i = 0; i < 5; i++) await c.call('SET', 'h', String(i));
    await c.call('CONFIG', 'GET', 'port');
    const all = await c.call('LATENCY', 'HISTOGRAM');
    assert.match(all, /\$3\r\nset\r\n\*4\r\n\$5\r\ncalls\r\n:5\r\n\$14\r\nhistogram_usec\r\n\*\d+\r\n/);
    const sel = (await c.value('LATENCY', 'HISTOGRAM', 'SET', 'nosuch', 'config')) as RespValue[];
    assert.deepEqual(
      sel.filter((_, i) => i % 2 === 0),
      ['set', 'config|get'],
    );
    const setH = sel[1] as RespValue[];
    assert.equal(setH[0], 'calls');
    assert.equal(setH[1], 5);
    const buckets = setH[3] as number[];
    // Pairs of (usec upper bound, cumulative count), increasing, ending at the total.
    for (let i = 2; i < buckets.length; i += 2) {
      assert.ok(buckets[i] > buckets[i - 2]);
      assert.ok(buckets[i + 1] > buckets[i - 1]);
    }
    assert.equal(buckets[buckets.length - 1], 5);
    await c.call('HELLO', '3');
    assert.match(await c.call('LATENCY', 'HISTOGRAM', 'set'), /^%1\r\n\$3\r\nset\r\n%2\r\n\$5\r\ncalls\r\n:5\r\n\$14\r\nhistogram_usec\r\n%\d+\r\n/);
    assert.equal(await c.call('LATENCY', 'HISTOGRAM', 'nosuch'), '%0\r\n');
  } finally {
    c.close();
  }
});

test('LATENCY DOCTOR text matches Redis for command and fast-command events', async () => {
  const { latencyMonitor } = await import('../../src/server/latency.js');
  const c = await RawClient.connect(s.port);
  const mon = latencyMonitor(s.server);
  try {
    s.server.config.set('latency-monitor-threshold', 1);
    mon.reset(null);
    const now = Math.floor(Date.now() / 1000);
    mon.addSample('command', 139, now);
    mon.addSample('fast-command', 50, now);
    const report = (await c.value('LATENCY', 'DOCTOR')) as string;
    // Captured from the reference with the same two events (threshold 1 ms, slowlog at its default).
    assert.equal(
      report,
      "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
        '1. command: 1 latency spikes (average 139ms, mean deviation 0ms, period 1.00 sec). Worst all time event 139ms.\n' +
        '2. fast-command: 1 latency spikes (average 50ms, mean deviation 0ms, period 1.00 sec). Worst all time event 50ms.\n\n' +
        'I have a few advices for you:\n\n' +
        "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.\n" +
        '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n' +
        '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
        '  1) Lower the system load.\n' +
        '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
        '  3) Check if you have a "noisy neighbour" problem.\n' +
        "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
        '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n' +
        '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
    );
    s.server.config.set('slowlog-log-slower-than', -1);
    const disabled = (await c.value('LATENCY', 'DOCTOR')) as string;
    assert.ok(
      disabled.includes(
        "\n- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than 1000'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n",
      ),
    );
    assert.ok(!disabled.includes('Your current Slow Log configuration'));
  } finally {
    s.server.config.set('slowlog-log-slower-than', 10000);
    s.server.config.set('latency-monitor-threshold', 0);
    mon.reset(null);
    c.close();
  }
});
