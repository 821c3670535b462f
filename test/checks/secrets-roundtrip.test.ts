import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretsRoundtrip } from '../../checks/secrets-roundtrip.js';
import { fixture, ROOT_URL } from '../support/deployment.js';
import { JSON_HEADERS, insufficientScopesBody, runOne } from './task-support.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); nock.enableNetConnect(); });

interface FakeSecrets {
  stored: Map<string, { secret: unknown; expires: string }>;
  calls: string[];
  /** Bodies of accepted set calls. */
  sent: any[];
}

/**
 * The secrets service as a map: set stores, get answers the stored body or the recorded v74 404, remove
 * forgets. `tamper` changes what get answers, `keep` makes remove a no-op, `refuseSet` answers set with a 403.
 */
function fakeSecrets(options: { tamper?: (body: any) => any; keep?: boolean; refuseSet?: boolean } = {}): FakeSecrets {
  const fake: FakeSecrets = { stored: new Map(), calls: [], sent: [] };
  const nameOf = (uri: string) => decodeURIComponent(uri.slice('/api/secrets/v1/secret/'.length));
  nock(ROOT_URL).persist()
    .put(/^\/api\/secrets\/v1\/secret\//).reply((uri, body) => {
      fake.calls.push(`set ${nameOf(uri)}`);
      if (options.refuseSet) return [403, insufficientScopesBody('set', `secrets:set:${nameOf(uri)}`, `secrets:set:${nameOf(uri)}`), JSON_HEADERS];
      fake.sent.push(body);
      fake.stored.set(nameOf(uri), body as { secret: unknown; expires: string });
      return [200, {}, JSON_HEADERS];
    })
    .get(/^\/api\/secrets\/v1\/secret\//).reply((uri) => {
      fake.calls.push(`get ${nameOf(uri)}`);
      const body = fake.stored.get(nameOf(uri));
      if (!body) return [404, fixture('secrets-get-404-error.json').body, JSON_HEADERS];
      return [200, options.tamper ? options.tamper(structuredClone(body)) : body, JSON_HEADERS];
    })
    .delete(/^\/api\/secrets\/v1\/secret\//).reply((uri) => {
      fake.calls.push(`remove ${nameOf(uri)}`);
      if (!options.keep) fake.stored.delete(nameOf(uri));
      return [200, {}, JSON_HEADERS];
    });
  return fake;
}

describe('secrets.roundtrip', () => {
  it('sets a short-lived secret under the prefix, reads it back, removes it, and sees the 404', async () => {
    const secrets = fakeSecrets();
    const result = await runOne(secretsRoundtrip);
    expect(result.outcome).toBe('passed');
    const name = result.resources.find((resource) => resource.type === 'secret')!.id;
    expect(name).toMatch(/^project\/tc-canary\/[0-9a-f]+$/);
    // Removed once: the check saw the 404, so its cleanup has nothing left to do.
    expect(secrets.calls).toEqual([`set ${name}`, `get ${name}`, `remove ${name}`, `get ${name}`]);
    const [sent] = secrets.sent;
    expect(sent.secret).toMatchObject({ createdBy: 'tc-canary', check: 'secrets.roundtrip' });
    const lifetime = Date.parse(sent.expires) - Date.parse(sent.secret.createdAt);
    expect(Math.abs(lifetime - 3_600_000)).toBeLessThan(1_000);
    expect(secrets.stored.size).toBe(0);
  });

  it('fails when the value read back differs, without printing it, and still removes the secret', async () => {
    const secrets = fakeSecrets({ tamper: (body) => ({ ...body, secret: { ...body.secret, nonce: 'changed' } }) });
    const result = await runOne(secretsRoundtrip);
    expect(result.outcome).toBe('failed');
    const name = result.resources[0]!.id;
    expect(result.error!.message).toBe(`secret ${name} read back differs from what was set`);
    expect(JSON.stringify(result)).not.toContain('changed');
    expect(secrets.calls.at(-1)).toBe(`remove ${name}`);
    expect(secrets.stored.size).toBe(0);
  });

  it('fails when the secret is still readable after removal', async () => {
    const secrets = fakeSecrets({ keep: true });
    const result = await runOne(secretsRoundtrip);
    expect(result.outcome).toBe('failed');
    expect(result.error!.message).toMatch(/is still readable after removal$/);
    expect(result.error!.step).toMatch(/^get removed secret .* answers 404$/);
    expect(secrets.calls.filter((call) => call.startsWith('remove'))).toHaveLength(2);
  });

  it('reports a refused set with the missing scope, and its cleanup still tries to remove the secret', async () => {
    const secrets = fakeSecrets({ refuseSet: true });
    const result = await runOne(secretsRoundtrip, { secretPrefix: 'project/other' });
    expect(result.outcome).toBe('error');
    const name = result.resources[0]!.id;
    expect(result.error!.message).toBe(`secrets.set ${name} refused (403 InsufficientScopes): missing secrets:set:${name}`);
    expect(secrets.calls).toEqual([`set ${name}`, `remove ${name}`]);
  });
});
