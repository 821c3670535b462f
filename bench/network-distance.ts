// How far a loopback stand-in for a deployment pretends to be: each answer `delayMs` late, and the first
// answer on each connection `newConnectionDelayMs` more, for the TCP and TLS handshakes a real one costs.

import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

export interface NetworkDistance {
  delayMs: number;
  newConnectionDelayMs: number;
}

export const LOOPBACK: NetworkDistance = { delayMs: 0, newConnectionDelayMs: 0 };

/** Each answer 60 ms late, a new connection's first 120 ms more: a bare fetch then takes about 0.25 s, as of community-tc from a laptop. */
export const A_NETWORK_AWAY: NetworkDistance = { delayMs: 60, newConnectionDelayMs: 120 };

/** How long to hold each answer of a server `distance` away. */
export function answerDelay(distance: NetworkDistance): (request: IncomingMessage) => number {
  const answered = new WeakSet<Socket>();
  return (request) => {
    const handshake = answered.has(request.socket) ? 0 : distance.newConnectionDelayMs;
    answered.add(request.socket);
    return distance.delayMs + handshake;
  };
}
