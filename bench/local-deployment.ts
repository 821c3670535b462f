// A stand-in Taskcluster deployment on loopback for the benches: the preflight's /__version__ and
// auth.currentScopes() (all scopes), and every service's ping, each answered after `delayMs`. A real one is a
// network away: `newConnectionDelayMs` more on the first answer of each connection stands for its TCP and TLS
// handshakes.

import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LocalDeployment {
  rootUrl: string;
  close(): void;
}

export async function startLocalDeployment(delayMs = 0, newConnectionDelayMs = 0): Promise<LocalDeployment> {
  const answered = new WeakSet<Socket>();
  const server = createServer((request, response) => {
    const body = request.url?.endsWith('/ping') ? { alive: true, uptime: 1 } : request.url === '/api/auth/v1/scopes/current' ? { scopes: ['*'] } : { version: '74.0.0' };
    const handshake = answered.has(request.socket) ? 0 : newConnectionDelayMs;
    answered.add(request.socket);
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    }, delayMs + handshake);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { rootUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
