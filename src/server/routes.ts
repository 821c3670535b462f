// What `serve` answers, by path. Check ids contain dots and slashes: everything after /checks/, URL-decoded,
// is the id. Per-check and overall status answer 200 when passing and 503 otherwise (Telescope's convention).
// Those two read the history: their answers come through `snapshot` (serve's read snapshot) when one is given.

import type { Heartbeat } from './heartbeat.js';
import { jsonReply, type Handler, type Reply } from './http-server.js';
import type { CheckStatus, StatusReport } from './status-report.js';
import type { VersionInfo } from './version-info.js';

export interface Endpoints {
  status(): Promise<StatusReport>;
  check(id: string): Promise<CheckStatus | undefined>;
  heartbeat(): Promise<Heartbeat>;
  version(): VersionInfo;
  metrics(): Promise<{ contentType: string; text: string }>;
}

const CHECK_PREFIX = '/checks/';

/** Gives the kept answer for a key, or the one `build` makes. */
export type AnswerCache = (key: string, build: () => Promise<Reply>) => Promise<Reply>;

export function routes(endpoints: Endpoints, snapshot: AnswerCache = (_key, build) => build()): Handler {
  return async (pathname: string): Promise<Reply> => {
    switch (pathname) {
      case '/status.json':
        return snapshot(pathname, async () => {
          const report = await endpoints.status();
          return jsonReply(report.success ? 200 : 503, report);
        });
      case '/__lbheartbeat__':
        return jsonReply(200, {});
      case '/__heartbeat__': {
        const report = await endpoints.heartbeat();
        return jsonReply(report.status === 'error' ? 500 : 200, report);
      }
      case '/__version__':
        return jsonReply(200, endpoints.version());
      case '/metrics': {
        const { contentType, text } = await endpoints.metrics();
        return { status: 200, contentType, body: text };
      }
    }
    if (pathname.startsWith(CHECK_PREFIX)) {
      return snapshot(pathname, async () => {
        const id = decode(pathname.slice(CHECK_PREFIX.length));
        const status = id === undefined ? undefined : await endpoints.check(id);
        if (!status) return jsonReply(404, { error: `no check ${JSON.stringify(id ?? pathname.slice(CHECK_PREFIX.length))} is served here` });
        return jsonReply(status.success ? 200 : 503, status);
      });
    }
    return jsonReply(404, { error: `nothing at ${pathname}`, paths: ['/', '/status.json', '/checks/<check id>', '/metrics', '/__heartbeat__', '/__lbheartbeat__', '/__version__'] });
  };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
