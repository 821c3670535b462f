// A Taskcluster deployment on 127.0.0.1 for tests that spawn the CLI (nock cannot reach another process):
// a real HTTP server answering with the recorded v74 responses (root and per-service Dockerflow endpoints,
// ping, auth.currentScopes) and taking notify's messages. A test can replace any path's answer and read
// which requests came in, with their bodies and the scopes each call was restricted to. A test may also set the
// deployment's clock off ours (its Date headers follow it) and have it refuse, like the real one, a Hawk
// signature stamped more than 15 minutes off that clock.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './deployment.js';

export interface FakeAnswer {
  status: number;
  body: unknown;
  /** Answer after this long (a slow service). */
  delayMs?: number;
}

export interface SeenRequest {
  method: string;
  path: string;
  /** The JSON body, when one was sent. */
  body?: unknown;
  /** The scopes a Taskcluster client restricted the call to (authorizedScopes in its Hawk header's ext). */
  authorizedScopes?: string[];
}

type Answerer = FakeAnswer | ((request: IncomingMessage) => FakeAnswer);

export interface FakeDeploymentOptions {
  /** The deployment's clock minus the test's (e.g. -2 h: ours is 2 h ahead). Default 0. */
  clockOffsetMs?: number;
  /** Refuse signed requests whose Hawk ts is more than 15 min off the deployment's clock, as Taskcluster does. */
  checkHawkTimestamps?: boolean;
}

/** Taskcluster's (hawk's) default timestampSkewSec. */
const HAWK_SKEW_MS = 15 * 60_000;

const DOCKERFLOW = ['__heartbeat__', '__lbheartbeat__', '__version__'] as const;
/** The notify service's methods; each takes its message and answers an empty object, as v74 does. */
const NOTIFY_METHODS = ['email', 'pulse', 'matrix', 'slack'] as const;

/** What v74 answers, by path; `/api/<service>/v1/...` are answered by pattern in `recorded()`. */
function rootAnswers(): Map<string, FakeAnswer> {
  const root = fixture('root-heartbeat-version.json');
  const answers = new Map<string, FakeAnswer>();
  for (const endpoint of DOCKERFLOW) answers.set(`/${endpoint}`, { status: root[endpoint].status, body: root[endpoint].body });
  answers.set('/api/auth/v1/scopes/current', { status: 200, body: fixture('auth-currentScopes.json') });
  for (const method of NOTIFY_METHODS) answers.set(`/api/notify/v1/${method}`, { status: 200, body: {} });
  return answers;
}

export class FakeDeployment {
  readonly requests: SeenRequest[] = [];
  private readonly answers = rootAnswers();
  private readonly overrides = new Map<string, Answerer>();
  private readonly patterns: Array<{ pattern: RegExp; answer: (request: IncomingMessage, body: unknown, path: string) => FakeAnswer }> = [];
  private readonly pings: Record<string, unknown> = fixture('ping.json');

  private constructor(private readonly server: Server, readonly rootUrl: string, private readonly options: FakeDeploymentOptions) {}

  static async start(options: FakeDeploymentOptions = {}): Promise<FakeDeployment> {
    let deployment: FakeDeployment | undefined;
    const server = createServer((request, response) => {
      void deployment!.answer(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', date: new Date(deployment!.now()).toUTCString() });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    deployment = new FakeDeployment(server, `http://127.0.0.1:${port}`, options);
    return deployment;
  }

  /** The deployment's own clock. */
  now(): number {
    return Date.now() + (this.options.clockOffsetMs ?? 0);
  }

  /** The calls to notify's methods (email, pulse, matrix, slack), in order. */
  notifications(): SeenRequest[] {
    return this.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/api/notify/v1/'));
  }

  /** Replaces the answer for one path, e.g. `/api/queue/v1/ping` with a 500. */
  set(path: string, answer: Answerer): void {
    this.overrides.set(path, answer);
  }

  /** Answers every path matching the pattern (a task's status, whatever its id), with the request's JSON body. */
  setMatching(pattern: RegExp, answer: (request: IncomingMessage, body: unknown, path: string) => FakeAnswer): void {
    this.patterns.push({ pattern, answer });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage): Promise<FakeAnswer> {
    const path = new URL(request.url ?? '/', this.rootUrl).pathname;
    const body = await jsonBody(request);
    const authorizedScopes = authorizedScopesOf(request.headers.authorization);
    this.requests.push({ method: request.method ?? 'GET', path, ...(body !== undefined && { body }), ...(authorizedScopes && { authorizedScopes }) });
    if (this.options.checkHawkTimestamps && this.staleSignature(request.headers.authorization)) {
      return { status: 401, body: { code: 'AuthenticationFailed', message: 'Unauthorized: Stale timestamp' } };
    }
    const chosen = this.overrides.get(path);
    const matching = this.patterns.find(({ pattern }) => pattern.test(path));
    const answer = typeof chosen === 'function' ? chosen(request) : chosen ?? matching?.answer(request, body, path) ?? this.answers.get(path) ?? this.recorded(path);
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    return answer;
  }

  private staleSignature(authorization: string | undefined): boolean {
    const ts = authorization && /\bts="(\d+)"/.exec(authorization)?.[1];
    return ts !== undefined && ts !== '' && Math.abs(Number(ts) * 1000 - this.now()) > HAWK_SKEW_MS;
  }

  /** Per-service endpoints: ping with the service's recorded body (queue's for the unrecorded ones). */
  private recorded(path: string): FakeAnswer {
    const match = /^\/api\/([a-z-]+)\/v1\/(.+)$/.exec(path);
    if (match?.[2] === 'ping') return { status: 200, body: this.pings[match[1]!] ?? this.pings.queue };
    const endpoint = match?.[2] as (typeof DOCKERFLOW)[number] | undefined;
    if (endpoint && DOCKERFLOW.includes(endpoint)) return this.answers.get(`/${endpoint}`)!;
    return { status: 404, body: { code: 'ResourceNotFound', message: `no fixture for ${path}` } };
  }
}

async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text === '' ? undefined : JSON.parse(text);
}

/** Hawk carries a Taskcluster client's authorizedScopes as base64 JSON in its ext attribute. */
function authorizedScopesOf(authorization: string | undefined): string[] | undefined {
  const ext = authorization && /\bext="([^"]*)"/.exec(authorization)?.[1];
  if (!ext) return undefined;
  return (JSON.parse(Buffer.from(ext, 'base64').toString()) as { authorizedScopes?: string[] }).authorizedScopes;
}
