// The broker as far away as a deployment's Pulse is: a loopback TCP proxy in front of the real RabbitMQ that
// holds what goes each way half of `delayMs`, so each AMQP round trip (every handshake step, channel open,
// declare and bind) costs `delayMs`, and a message the broker delivers arrives half of it later, as from a
// Pulse a network away. Order and bytes are untouched.

import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import type { NetworkDistance } from './network-distance.js';

export interface DistantBroker {
  /** The AMQP URL given, pointed at the proxy. */
  url: string;
  close(): Promise<void>;
}

/** What `from` sends reaches `to` `ms` later; equal delays fire in the order they were set, so in order. */
function forwardLate(from: Socket, to: Socket, ms: number): void {
  from.on('data', (chunk) => setTimeout(() => { if (!to.destroyed) to.write(chunk); }, ms));
  from.on('end', () => setTimeout(() => to.end(), ms));
}

export async function startDistantBroker(amqpUrl: string, distance: NetworkDistance): Promise<DistantBroker> {
  const target = new URL(amqpUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const broker = connect({ host: target.hostname, port: Number(target.port || 5672), noDelay: true });
    client.setNoDelay(true);
    for (const socket of [client, broker]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => { client.destroy(); broker.destroy(); });
    }
    forwardLate(client, broker, distance.delayMs / 2);
    forwardLate(broker, client, distance.delayMs / 2);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxied = new URL(amqpUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String((server.address() as AddressInfo).port);
  return {
    url: proxied.href,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
