import { isDeepStrictEqual } from 'node:util';
import { defineCheck, isNotFound, param, probeMark, statusCodeOf, withScopeExplanation } from '../src/check/index.js';

/** The secrets service stores, returns and forgets a value: set, get and compare, remove, then get answers 404. */
export const secretsRoundtrip = defineCheck({
  id: 'secrets.roundtrip',
  description: 'A secret under <secretPrefix>/<nonce> is set, read back identical, removed, then answers 404',
  tags: ['secrets'],
  schedule: '*/15 * * * *',
  timeout: '2m',
  params: {
    secretPrefix: param.string('project/tc-canary', 'Secret names are <secretPrefix>/<nonce>', /^[a-zA-Z0-9_./-]+[a-zA-Z0-9_-]$/),
    secretExpiry: param.duration('1h', 'Expiry of the probe secret (the service forgets it then even if removal failed)'),
  },
  scopes: (params) => ({ AllOf: [`secrets:set:${params.secretPrefix}/*`, `secrets:get:${params.secretPrefix}/*`] }),
  leftovers: (params) => ({ secrets: { prefix: params.secretPrefix } }),
  async run(ctx) {
    const name = `${ctx.params.secretPrefix}/${ctx.nonce}`;
    ctx.resource('secret', name);
    // Registered before the secret exists: a set that times out may still have stored it. Removing is idempotent;
    // once the check has seen the secret gone (404), there is nothing left to remove.
    let verifiedGone = false;
    ctx.defer(`remove secret ${name}`, () => (verifiedGone ? Promise.resolve() : withScopeExplanation(`secrets.remove ${name}`, () => ctx.tc.secrets.remove(name))));

    const sent = {
      secret: probeMark(ctx.clock.now(), { check: ctx.checkId, runId: ctx.runId, nonce: ctx.nonce }),
      expires: new Date(ctx.serverNow() + ctx.params.secretExpiry).toISOString(),
    };
    await ctx.step(`set secret ${name}`, () => withScopeExplanation(`secrets.set ${name}`, () => ctx.tc.secrets.set(name, sent)));
    const read = (await ctx.step(`get secret ${name}`, () => withScopeExplanation(`secrets.get ${name}`, () => ctx.tc.secrets.get(name)))) as { secret?: unknown; expires?: string };
    // Never print the values: a secret is a secret, even a synthetic one.
    if (!isDeepStrictEqual(read.secret, sent.secret)) ctx.fail(`secret ${name} read back differs from what was set`);
    if (Date.parse(read.expires ?? '') !== Date.parse(sent.expires)) ctx.fail(`secret ${name} read back expires ${read.expires}, set ${sent.expires}`);

    await ctx.step(`remove secret ${name}`, () => ctx.tc.secrets.remove(name));
    await ctx.step(`get removed secret ${name} answers 404`, async () => {
      try {
        await ctx.tc.secrets.get(name);
      } catch (error) {
        if (isNotFound(error)) {
          verifiedGone = true;
          return;
        }
        const status = statusCodeOf(error);
        if (status !== undefined && status < 500) ctx.fail(`secret ${name} after removal answered ${status}, expected 404`, { statusCode: status });
        throw error;
      }
      ctx.fail(`secret ${name} is still readable after removal`);
    });
  },
});
