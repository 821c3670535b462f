// Round-trip time of a message through tc-canary's Pulse layer (subscribe, publish with confirmation, next)
// against bare amqplib (publish, consume) on the same broker, interleaved message by message so that both see
// the same broker load. Target: the layer's p50 at most 1.2 x bare amqplib's.
//
//   eval "$(bash scripts/services.sh)" && npm run build && node dist/bench/pulse-roundtrip.js
//
// Uses PULSE_URL, else TC_CANARY_TEST_AMQP_URL; publishes to an exchange under the user's namespace.

import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import type { PulseSubscription } from '../src/pulse/access.js';
import { PulseConnection } from '../src/pulse/connection.js';
import { parsePulseUrl, type PulseSettings } from '../src/pulse/settings.js';
import { percentile } from './figures.js';

const MESSAGES = 500;
const WARMUP = 50;
const TARGET_P50_RATIO = 1.2;

// Sub-millisecond timestamps: a local round trip is well under a millisecond.
const preciseClock = { now: () => performance.timeOrigin + performance.now() };

type RoundTrip = (i: number) => Promise<number>;

async function layerRoundTrip(settings: PulseSettings, exchange: string): Promise<{ roundTrip: RoundTrip; close: () => Promise<void> }> {
  const pulse = new PulseConnection(settings, { clock: preciseClock, connectionName: 'tc-canary-bench-layer' });
  await pulse.declareExchange(exchange);
  const sub: PulseSubscription = await pulse.subscribe({ check: 'bench', nonce: randomUUID(), bindings: [{ exchange, routingKeyPattern: 'layer.#' }] });
  return {
    roundTrip: async (i) => {
      const sentAt = preciseClock.now();
      await pulse.publish(exchange, `layer.${i}`, { i });
      const message = await sub.next((m) => (m.body as { i: number }).i === i, { timeoutMs: 5000, description: `layer message ${i}` });
      return message.receivedAt - sentAt;
    },
    close: async () => {
      await sub.close();
      await pulse.close();
    },
  };
}

async function bareRoundTrip(settings: PulseSettings, exchange: string): Promise<{ roundTrip: RoundTrip; close: () => Promise<void> }> {
  const { protocol, hostname, port, username, password, vhost } = settings;
  const model = await amqp.connect({ protocol, hostname, port, username, password, vhost: encodeURIComponent(vhost) }, { noDelay: true });
  const channel = await model.createChannel();
  const queue = `queue/${settings.namespace}/tc-canary/bench-bare/${randomUUID()}`;
  await channel.assertQueue(queue, { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, 'bare.#');
  let arrived: ((at: number) => void) | undefined;
  await channel.consume(queue, () => arrived?.(preciseClock.now()), { noAck: true });
  return {
    roundTrip: (i) =>
      new Promise((resolve) => {
        const sentAt = preciseClock.now();
        arrived = (at) => resolve(at - sentAt);
        channel.publish(exchange, `bare.${i}`, Buffer.from(JSON.stringify({ i })));
      }),
    close: () => model.close(),
  };
}

async function main(): Promise<void> {
  const url = process.env.PULSE_URL ?? process.env.TC_CANARY_TEST_AMQP_URL;
  if (!url) {
    console.error('set PULSE_URL (or run `eval "$(bash scripts/services.sh)"` for TC_CANARY_TEST_AMQP_URL)');
    process.exitCode = 2;
    return;
  }
  const settings = parsePulseUrl(url);
  const exchange = `exchange/${settings.namespace}/tc-canary/bench`;
  const layer = await layerRoundTrip(settings, exchange);
  const bare = await bareRoundTrip(settings, exchange);

  const times = { layer: [] as number[], bare: [] as number[] };
  for (let i = 0; i < WARMUP + MESSAGES; i++) {
    // Alternate which goes first, so neither always follows the other.
    const order = i % 2 === 0 ? (['layer', 'bare'] as const) : (['bare', 'layer'] as const);
    for (const path of order) {
      const ms = await (path === 'layer' ? layer : bare).roundTrip(i);
      if (i >= WARMUP) times[path].push(ms);
    }
  }
  await layer.close();
  await bare.close();

  console.log(`Pulse round trip on ${settings.redactedUrl}, ${MESSAGES} messages each (after ${WARMUP} warm-up), interleaved`);
  const p50 = { layer: 0, bare: 0 };
  for (const path of ['bare', 'layer'] as const) {
    const sorted = [...times[path]].sort((a, b) => a - b);
    p50[path] = percentile(sorted, 50);
    const label = path === 'layer' ? "tc-canary's Pulse layer" : 'bare amqplib          ';
    console.log(`  ${label}  p50 ${p50[path].toFixed(3)} ms  p99 ${percentile(sorted, 99).toFixed(3)} ms`);
  }
  const ratio = p50.layer / p50.bare;
  console.log(`  p50 ratio layer/bare: ${ratio.toFixed(2)} (target <= ${TARGET_P50_RATIO}: ${ratio <= TARGET_P50_RATIO ? 'met' : 'MISSED'})`);
}

await main();
