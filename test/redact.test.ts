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

  it('reads a URL\'s password decoded, and nothing from a malformed one', () => {
    expect(passwordInUrl('postgres://u:p%40ss@h/db')).toBe('p@ss');
    expect(passwordInUrl('postgres://u:%zz@h/db')).toBeUndefined();
    expect(passwordInUrl('sqlite:tc-canary.db')).toBeUndefined();
  });

  it('a history spec with a malformed password escape fails as a history error, not a crash', async () => {
    await expect(openHistory('postgres://u:%zz@127.0.0.1:1/db')).rejects.toBeInstanceOf(HistoryError);
  });
});
