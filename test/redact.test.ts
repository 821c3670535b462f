import { describe, expect, it } from 'vitest';
import { openHistory } from '../src/history/open.js';
import { HistoryError } from '../src/history/store.js';
import { Redactor, passwordInUrl } from '../src/redact.js';

describe('redaction', () => {
  it('masks registered secrets, their URL-encoded form, and any user:password@ in a URL', () => {
    const redactor = new Redactor();
    redactor.add('p@ss/word!');
    expect(redactor.redact('raw p@ss/word! encoded p%40ss%2Fword!')).toBe('raw *** encoded ***');
    expect(redactor.redact('amqps://user:unregistered-pw@pulse.example/vhost')).toBe('amqps://user:***@pulse.example/vhost');
    // The broker's management API URL (pulse.managementUrl), before its password was registered.
    expect(redactor.redact('https://monitor:unregistered-pw@pulse.example/api/')).toBe('https://monitor:***@pulse.example/api/');
  });

  it('masks request signatures a deployment or proxy echoes back: Hawk headers, bewits, Authorization values', () => {
    const redactor = new Redactor();
    const hawk = 'Hawk id="static/taskcluster/root", ts="1764700000", nonce="AbC123", ext="eyJhIjoxfQ==", mac="k3y+MAC/value="';
    expect(redactor.redact(`bad request: ${hawk} refused`)).toBe('bad request: Hawk *** refused');
    // As a JSON error body quoted into a message, and with bare values as some proxies print them.
    expect(redactor.redact(JSON.stringify({ message: `header ${hawk}` }))).toBe('{"message":"header Hawk ***"}');
    expect(redactor.redact('Hawk id=static/x, ts=1764700000, nonce=n0nce, mac=m4c')).toBe('Hawk ***');
    expect(redactor.redact('GET https://tc.example/api/queue/v1/task/x/artifacts/a?bewit=c3RhdGljXDE3NjQ&x=1')).toBe('GET https://tc.example/api/queue/v1/task/x/artifacts/a?bewit=***&x=1');
    expect(redactor.redact('proxy saw\nAuthorization: Bearer abc.def.ghi\nHost: x')).toBe('proxy saw\nAuthorization: ***\nHost: x');
    expect(redactor.redact('{"headers":{"authorization":"Basic dXNlcjpwdw=="}}')).toBe('{"headers":{"authorization":"***"}}');
    expect(redactor.redact(JSON.stringify(JSON.stringify({ authorization: 'Basic dXNlcjpwdw==' })))).not.toContain('dXNlcjpwdw');
    // Words that only mention them stay.
    expect(redactor.redact('authorization failed; Hawk signatures expire')).toBe('authorization failed; Hawk signatures expire');
  });

  it('reads a URL\'s password decoded, and nothing from a malformed one', () => {
    expect(passwordInUrl('postgres://u:p%40ss@h/db')).toBe('p@ss');
    expect(passwordInUrl('postgres://u:%zz@h/db')).toBeUndefined();
    expect(passwordInUrl('sqlite:tc-canary.db')).toBeUndefined();
  });

  it('a history spec with a malformed password escape fails as a history error, not a crash', async () => {
    await expect(openHistory('postgres://u:%zz@127.0.0.1:1/db')).rejects.toBeInstanceOf(HistoryError);
  });
});
