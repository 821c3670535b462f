// taskcluster-client's own agents close the connection after each call; ours keep it open, so a check's
// calls to a deployment a network away do not each pay a new TCP and TLS handshake.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { taskclusterClients } from '../../src/taskcluster/clients.js';

let server: Server;
let rootUrl: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(request.url?.endsWith('/status') ? { status: { taskId: 'x', state: 'completed', runs: [] } } : { scopes: [] }));
  });
  server.on('connection', () => { connections += 1; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('sends one run\'s calls to a service, and to the next service, over one kept connection', async () => {
  const tc = taskclusterClients(rootUrl, { clientId: 'tester', accessToken: 'token-123456' });
  for (let call = 0; call < 3; call++) await tc.queue.status('x');
  await tc.auth.currentScopes();
  expect(connections).toBe(1);
});

it('closes a connection left idle for 4 s, before a server would', async () => {
  const tc = taskclusterClients(rootUrl, undefined);
  await tc.queue.status('x');
  const before = connections;
  await new Promise((resolve) => setTimeout(resolve, 4_500));
  await tc.queue.status('x');
  expect(connections).toBe(before + 1);
}, 10_000);
