// A stand-in Taskcluster deployment on loopback for the benches: the preflight's /__version__ and
// auth.currentScopes() (all scopes), and every service's ping, each answered as far away as `distance` says.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerDelay, LOOPBACK, type NetworkDistance } from './network-distance.js';

export interface LocalDeployment {
  rootUrl: string;
  close(): void;
}

export async function startLocalDeployment(distance: NetworkDistance = LOOPBACK): Promise<LocalDeployment> {
  const delayOf = answerDelay(distance);
  const server = createServer((request, response) => {
    const body = request.url?.endsWith('/ping') ? { alive: true, uptime: 1 } : request.url === '/api/auth/v1/scopes/current' ? { scopes: ['*'] } : { version: '74.0.0' };
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    }, delayOf(request));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { rootUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
