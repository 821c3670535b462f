// A nock-mocked deployment for unit tests, answering with the real v74 responses.

import nock from 'nock';
import { readFileSync } from 'node:fs';

export const ROOT_URL = 'https://tc.example.test';

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/taskcluster-v74/${name}`, import.meta.url), 'utf8')) as T;
}

/** The deployment's version body, as v74 answers /__version__. */
export function versionBody(): Record<string, unknown> {
  return fixture('root-heartbeat-version.json').__version__.body;
}

/** The two preflight calls every run makes: auth.currentScopes() and /__version__. */
export function mockPreflight(options: { scopes?: string[]; rootUrl?: string; currentScopesStatus?: number } = {}): nock.Scope {
  const rootUrl = options.rootUrl ?? ROOT_URL;
  const scope = nock(rootUrl).get('/__version__').reply(200, versionBody(), { 'content-type': 'application/json' });
  if (options.currentScopesStatus && options.currentScopesStatus !== 200) {
    scope.get('/api/auth/v1/scopes/current').reply(options.currentScopesStatus, { code: 'AuthenticationFailed', message: 'no' }, { 'content-type': 'application/json' });
  } else {
    scope.get('/api/auth/v1/scopes/current').reply(200, { scopes: options.scopes ?? fixture('auth-currentScopes.json').scopes }, { 'content-type': 'application/json' });
  }
  return scope;
}
