import { defineCheck, deploymentUrl, expectJsonObject, param, preview } from '../src/check/index.js';

export const deploymentVersion = defineCheck({
  id: 'deployment.version',
  description: 'The deployment answers /__version__ with JSON naming its Taskcluster version',
  tags: ['deployment', 'smoke'],
  schedule: '*/5 * * * *',
  startsBeforePreflight: true,
  timeout: '30s',
  params: {
    timeout: param.duration('10s', 'Bound on the request'),
  },
  async run(ctx) {
    const response = await ctx.step('GET /__version__', () => ctx.http.get(deploymentUrl(ctx.rootUrl, '__version__'), { timeoutMs: ctx.params.timeout }));
    const body = expectJsonObject(response);
    if (typeof body.version !== 'string' || body.version === '') {
      ctx.fail(`GET ${response.url} answered no version: ${preview(body)}`, { url: response.url, statusCode: response.status });
    }
    ctx.log(`deployment version ${body.version}${typeof body.commit === 'string' ? ` (commit ${body.commit})` : ''}`);
    ctx.metric('response_ms', response.durationMs, { unit: 'ms' });
  },
});
