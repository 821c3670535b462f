// Every file the dashboard's pages load, served by tc-canary itself so that it works offline: uPlot straight
// from its npm package (a runtime dependency, so present wherever tc-canary is installed) and the dashboard's
// own stylesheet, script and icon, which live in TypeScript modules so that the compiler carries them into dist/.
// URLs carry a hash of the content, so browsers may cache them for good.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ServerResponse } from 'node:http';
import { CLIENT_SCRIPT } from './assets/client.js';
import { ICON } from './assets/icon.js';
import { STYLESHEET } from './assets/style.js';

interface Asset {
  type: string;
  body: Buffer;
  hash: string;
}

const resolvePackageFile = createRequire(import.meta.url).resolve;

function asset(type: string, body: Buffer | string): Asset {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  return { type, body: bytes, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
}

let loaded: Map<string, Asset> | undefined;

/** Read once, on first use: uPlot's files are small and never change while the process lives. */
function assets(): Map<string, Asset> {
  loaded ??= new Map([
    ['dashboard.css', asset('text/css; charset=utf-8', STYLESHEET)],
    ['dashboard.js', asset('text/javascript; charset=utf-8', CLIENT_SCRIPT)],
    ['icon.svg', asset('image/svg+xml', ICON)],
    ['uPlot.min.css', asset('text/css; charset=utf-8', readFileSync(resolvePackageFile('uplot/dist/uPlot.min.css')))],
    ['uPlot.iife.min.js', asset('text/javascript; charset=utf-8', readFileSync(resolvePackageFile('uplot/dist/uPlot.iife.min.js')))],
  ]);
  return loaded;
}

export function assetHref(name: string): string {
  const found = assets().get(name);
  if (!found) throw new Error(`no dashboard asset named ${name}`);
  return `/assets/${name}?v=${found.hash}`;
}

/** Answers an asset request; false when there is no such asset. Only the current version is cached for good. */
export function sendAsset(name: string, version: string | null, res: ServerResponse, head: boolean): boolean {
  const found = assets().get(name);
  if (!found) return false;
  res.writeHead(200, {
    'Content-Type': found.type,
    'Content-Length': found.body.length,
    'Cache-Control': version === found.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(head ? undefined : found.body);
  return true;
}
