import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectDir, runCli } from '../support/cli-process.js';

const TOKEN = 'alerts-cli-access-token-never-printed';
const HOOK_SECRET = 'hook-path-secret-4f7a';

interface Seen {
  path: string;
  body: any;
  authorizedScopes?: string[];
}

let server: Server;
let baseUrl: string;
let seen: Seen[];
/** Answer per path; 200 otherwise. */
let answers: Map<string, number>;

beforeEach(async () => {
  seen = [];
  answers = new Map();
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => { text += chunk.toString(); });
    request.on('end', () => {
      const ext = /ext="([^"]+)"/.exec(request.headers.authorization ?? '')?.[1];
      const scopes = ext ? (JSON.parse(Buffer.from(ext, 'base64').toString()) as { authorizedScopes?: string[] }).authorizedScopes : undefined;
      seen.push({ path: request.url!, body: JSON.parse(text || 'null'), ...(scopes && { authorizedScopes: scopes }) });
      const status = answers.get(request.url!) ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 200 ? '{}' : JSON.stringify({ code: 'InsufficientScopes', message: 'Client ID tester does not have sufficient scopes' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const config = () => `
alerts:
  dashboardUrl: https://canary.example.test
  routes:
    - checks: "ping.*"
      notify:
        - matrix: {roomId: "!ops:mozilla.org"}
        - webhook: {url: "\${HOOK_URL}"}
    - checks: "queue.*"
      notify:
        - email: {address: queue-team@example.test}
`;

const env = () => ({ TASKCLUSTER_CLIENT_ID: 'tester', TASKCLUSTER_ACCESS_TOKEN: TOKEN, HOOK_URL: `${baseUrl}/hooks/${HOOK_SECRET}` });

describe('tc-canary alerts test', () => {
  it('sends a test message through every destination, each notify call with its scope, and exits 0', async () => {
    const dir = projectDir(config());
    const { code, stdout, stderr } = await runCli(['alerts', 'test', '--root-url', baseUrl], { cwd: dir, env: env() });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const byPath = Object.fromEntries(seen.map((request) => [request.path, request]));
    expect(Object.keys(byPath).sort()).toEqual(['/api/notify/v1/email', '/api/notify/v1/matrix', `/hooks/${HOOK_SECRET}`]);
    expect(byPath['/api/notify/v1/matrix']).toMatchObject({
      authorizedScopes: ['notify:matrix-room:!ops:mozilla.org'],
      body: { roomId: '!ops:mozilla.org', msgtype: 'm.notice', body: expect.stringMatching(/^\[tc-canary\] TEST alert route 0 for 127\.0\.0\.1:\d+\nA test of tc-canary alert route 0 \(checks: ping\.\*\)/) },
    });
    expect(byPath['/api/notify/v1/email']).toMatchObject({
      authorizedScopes: ['notify:email:queue-team@example.test'],
      body: { address: 'queue-team@example.test', subject: expect.stringContaining('TEST alert route 1'), link: { href: 'https://canary.example.test' } },
    });
    expect(byPath[`/hooks/${HOOK_SECRET}`]!.body).toMatchObject({ kind: 'test', checkId: 'ping.*', incident: 0 });
    expect(stdout).toContain('alert test ping.* sent to route 0 matrix !ops:mozilla.org\n');
    expect(stdout).toContain('alert test ping.* sent to route 0 webhook\n');
    expect(stdout).toContain('3 of 3 destinations took the test message\n');
    expect(stdout + stderr).not.toContain(TOKEN);
    expect(stdout + stderr).not.toContain(HOOK_SECRET);
  });

  it('--route picks one route; a refused message makes the exit code 1 and says why', async () => {
    answers.set('/api/notify/v1/email', 403);
    const dir = projectDir(config());
    const { code, stdout } = await runCli(['alerts', 'test', '--route', '1', '--root-url', baseUrl], { cwd: dir, env: env() });
    expect(code).toBe(1);
    expect(seen.map((request) => request.path)).toEqual(['/api/notify/v1/email']);
    expect(stdout).toContain('alert test queue.* NOT sent to route 1 email queue-team@example.test after 1 attempt: Client ID tester does not have sufficient scopes (HTTP 403 InsufficientScopes)');
    expect(stdout).toContain('0 of 1 destination took the test message');
  });

  it('exits 2 for a route that does not exist, for a missing webhook variable, and without alerts configured', async () => {
    const dir = projectDir(config());
    const noRoute = await runCli(['alerts', 'test', '--route', '5', '--root-url', baseUrl], { cwd: dir, env: env() });
    expect(noRoute.code).toBe(2);
    expect(noRoute.stderr).toContain('--route: there are 2 routes (0 to 1), got 5');

    const noVariable = await runCli(['alerts', 'test', '--root-url', baseUrl], { cwd: dir, env: { ...env(), HOOK_URL: '' } });
    expect(noVariable.code).toBe(2);
    expect(noVariable.stderr).toContain('alerts.routes.0.notify.1.webhook.url: environment variable HOOK_URL is not set');

    const none = await runCli(['alerts', 'test', '--root-url', baseUrl], { cwd: projectDir('concurrency: 2\n'), env: env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('alerts: no alerts are configured');
    expect(seen).toEqual([]);
  });
});
