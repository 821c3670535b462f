// Which requests for /checks/<id> get the HTML page rather than the server's JSON.

import { expect, test } from 'vitest';
import { prefersHtml } from '../../src/dashboard/negotiate.js';

test.each([
  ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true], // Chromium, Firefox
  ['text/html', true],
  ['application/json', false],
  ['*/*', false], // curl, Telescope: JSON stays the default
  [undefined, false],
  ['', false],
  ['text/html, application/json', false], // a tie goes to JSON
  ['application/json;q=0.5, text/html', true],
  ['text/html;q=0, */*', false],
  ['text/*;q=0.9, application/*;q=0.1', true],
  ['application/json;q=0.1, */*', true], // the most specific range decides: JSON 0.1, HTML 1 through */*
])('Accept %s prefers HTML: %s', (accept, expected) => {
  expect(prefersHtml(accept)).toBe(expected);
});
