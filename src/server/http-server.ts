// A small HTTP server on node:http: GET and HEAD only, every answer with a Content-Type (Telescope reads it
// without a fallback) and nosniff, HEAD with the GET's headers and no body, and a JSON 500 when a handler throws.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Reply {
  status: number;
  contentType: string;
  /** Bytes for an answer that is kept and sent many times (encoded once). */
  body: string | Buffer;
}

export function jsonReply(status: number, value: unknown): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(value, null, 2)}\n` };
}

export type Handler = (pathname: string) => Promise<Reply>;

/** Answers a request itself (the dashboard's pages and assets) and says so, or returns false to pass it on. */
export type Intercept = (request: IncomingMessage, response: ServerResponse) => Promise<boolean>;

export interface Listen {
  host: string;
  port: number;
}

export interface RunningHttpServer {
  /** http://host:port, with the port actually bound (port 0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

/** Parses `HOST:PORT` (`[::1]:8080` for IPv6); throws a message naming what is wrong. */
export function parseListen(text: string): Listen {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65535) throw new Error(`expected HOST:PORT like 127.0.0.1:8080, got ${JSON.stringify(text)}`);
  return { host: (match[1] ?? match[2])!, port };
}

export async function startHttpServer(listen: Listen, handle: Handler, onError: (error: unknown) => void, intercept?: Intercept): Promise<RunningHttpServer> {
  const server = createServer((request, response) => {
    void answer(request, response, handle, onError, intercept);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { url: `http://${host}:${port}`, close: () => closeServer(server) };
}

async function answer(request: IncomingMessage, response: ServerResponse, handle: Handler, onError: (error: unknown) => void, intercept?: Intercept): Promise<void> {
  if (intercept) {
    try {
      if (await intercept(request, response)) return;
    } catch (error) {
      onError(error);
      // Half an answer cannot be mended; without one, the JSON 500 below is sent.
      if (response.headersSent) return void response.destroy();
    }
  }
  let reply: Reply;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    reply = jsonReply(405, { error: `method ${request.method} not allowed` });
  } else {
    try {
      reply = await handle(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch (error) {
      onError(error);
      reply = jsonReply(500, { error: 'internal error' });
    }
  }
  response.writeHead(reply.status, {
    'Content-Type': reply.contentType,
    'Content-Length': Buffer.byteLength(reply.body),
    'Cache-Control': 'no-store',
    // Browsers must take the Content-Type as sent: a JSON answer quoting an error body is never run as HTML.
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(request.method === 'HEAD' ? undefined : reply.body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections (Prometheus, load balancers) would hold close() open until they time out.
    server.closeIdleConnections();
  });
}
