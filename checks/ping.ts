import {
  TIMEOUT_DURATION, apiUrl, defineCheck, defineCheckFamily, expectJsonObject, expectStatus, param, preview,
} from '../src/check/index.js';

/** The Dockerflow endpoints every service serves; __heartbeat__ is a stub that always says 200, so ping matters. */
const DOCKERFLOW = ['__lbheartbeat__', '__heartbeat__', '__version__'] as const;

/** ping.<service>, for each configured service. */
export const ping = defineCheckFamily(({ services }) =>
  services.map((service) => defineCheck({
    id: `ping.${service}`,
    description: `The ${service} service answers ping (alive) and its Dockerflow endpoints`,
    tags: ['ping', 'smoke', service],
    schedule: '*/5 * * * *',
    timeout: '30s',
    params: {
      timeout: param.duration('10s', 'Bound on each request', TIMEOUT_DURATION),
      maxResponseTime: param.duration('5s', 'SLA on the ping response time'),
    },
    async run(ctx) {
      const { timeout, maxResponseTime } = ctx.params;
      const response = await ctx.step('ping', () => ctx.http.get(apiUrl(ctx.rootUrl, service, 'ping'), { timeoutMs: timeout }));
      const body = expectJsonObject(response);
      if (body.alive !== true) ctx.fail(`GET ${response.url} answered without alive: true: ${preview(body)}`, { url: response.url, statusCode: response.status });
      ctx.metric('response_ms', response.durationMs, { unit: 'ms', limit: maxResponseTime });
      for (const endpoint of DOCKERFLOW) {
        await ctx.step(endpoint, async () => {
          const answer = await ctx.http.get(apiUrl(ctx.rootUrl, service, endpoint), { timeoutMs: timeout });
          if (endpoint === '__lbheartbeat__') expectStatus(answer, 200);
          else expectJsonObject(answer);
        });
      }
    },
  })),
);
