// A real HTTP server on a loopback port serving a dashboard, the way `serve` mounts it: the dashboard first,
// then a 404 for whatever it leaves.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dashboard } from '../../src/dashboard/dashboard.js';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function serveDashboard(dashboard: Dashboard): Promise<TestServer> {
  const server: Server = createServer((req, res) => {
    dashboard.handle(req, res).then((handled) => {
      if (!handled) res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not the dashboard"}');
    }, (error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // A browser keeps its connections open; close() would wait for them to time out.
      server.closeAllConnections();
    }),
  };
}
