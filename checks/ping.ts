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
    startsBeforePreflight: true,
    timeout: '30s',
    params: {
      timeout: param.duration('10s', 'Bound on each request', TIMEOUT_DURATION),
      maxResponseTime: param.duration('5s', 'SLA on the ping response time'),
    },
    async run(ctx) {
      const { timeout, maxResponseTime } = ctx.params;
      // All four are asked at once, one round trip instead of four; each is then judged in its own step, in
      // this order, so the first problem named is ping's. One left unjudged is cancelled with the attempt.
      const get = (endpoint: string) => ctx.http.get(apiUrl(ctx.rootUrl, service, endpoint), { timeoutMs: timeout });
      const pinged = get('ping');
      const answers = DOCKERFLOW.map((endpoint) => ({ endpoint, answer: get(endpoint) }));
      for (const { answer } of answers) answer.catch(() => undefined);
      const response = await ctx.step('ping', () => pinged);
      const body = expectJsonObject(response);
      if (body.alive !== true) ctx.fail(`GET ${response.url} answered without alive: true: ${preview(body)}`, { url: response.url, statusCode: response.status });
      ctx.metric('response_ms', response.durationMs, { unit: 'ms', limit: maxResponseTime });
      for (const { endpoint, answer } of answers) {
        await ctx.step(endpoint, async () => {
          if (endpoint === '__lbheartbeat__') expectStatus(await answer, 200);
          else expectJsonObject(await answer);
        });
      }
    },
  })),
);
