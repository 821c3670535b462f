// A small HTTP load generator for bench/serve, run as its own process so its work does not land on the event
// loop it measures: CONNECTIONS keep-alive connections to a loopback URL, each asking for the next of PATHS as
// soon as its previous answer is in, until SECONDS have passed or MAX_REQUESTS were sent, whichever comes first.
// Prints one JSON line: per path, the requests, their statuses, and latency p50/p99/max in ms.
//
//   node dist/bench/http-load.js URL CONNECTIONS SECONDS MAX_REQUESTS PATH...

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './figures.js';

export interface PathLoad {
  requests: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadReport {
  seconds: number;
  requests: number;
  perSecond: number;
  paths: Record<string, PathLoad>;
}

const [base, connectionsArg, secondsArg, maxArg, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) throw new Error('usage: http-load.js URL CONNECTIONS SECONDS MAX_REQUESTS PATH...');
const connections = Number(connectionsArg);
const endAt = performance.now() + Number(secondsArg) * 1000;
const maxRequests = Number(maxArg);
const agent = new Agent({ keepAlive: true, maxSockets: connections });
const latencies = new Map<string, number[]>(paths.map((path) => [path, []]));
const statuses = new Map<string, Record<string, number>>(paths.map((path) => [path, {}]));
let sent = 0;

function get(path: string): Promise<void> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, { agent, headers: { accept: path === '/' ? 'text/html' : '*/*' } }, (res) => {
      res.resume();
      res.on('end', () => {
        latencies.get(path)!.push(performance.now() - started);
        const counts = statuses.get(path)!;
        counts[res.statusCode!] = (counts[res.statusCode!] ?? 0) + 1;
        resolve();
      });
    });
    req.on('error', (error) => {
      const counts = statuses.get(path)!;
      counts[error.message] = (counts[error.message] ?? 0) + 1;
      resolve();
    });
    req.end();
  });
}

async function connection(first: number): Promise<void> {
  for (let next = first; performance.now() < endAt && sent < maxRequests; next += 1) {
    sent += 1;
    await get(paths[next % paths.length]!);
  }
}

const startedAt = performance.now();
await Promise.all(Array.from({ length: connections }, (_, i) => connection(i)));
const seconds = (performance.now() - startedAt) / 1000;
agent.destroy();
const report: LoadReport = {
  seconds,
  requests: sent,
  perSecond: sent / seconds,
  paths: Object.fromEntries(paths.map((path) => {
    const sorted = latencies.get(path)!.sort((a, b) => a - b);
    return [path, { requests: sorted.length, statuses: statuses.get(path)!, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) ?? NaN }];
  })),
};
console.log(JSON.stringify(report));
