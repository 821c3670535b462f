// Every file the dashboard's pages load, served by tc-canary itself so that it works offline: uPlot, bundled at
// build time (scripts/bundle-uplot.mjs), and the dashboard's own stylesheet, script and icon. All live in
// TypeScript modules, so the compiler carries them into dist/ and nothing at run time reads node_modules.
// URLs carry a hash of the content, so browsers may cache them for good.

import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CLIENT_SCRIPT } from './assets/client.js';
import { ICON } from './assets/icon.js';
import { STYLESHEET } from './assets/style.js';
import { UPLOT_SCRIPT, UPLOT_STYLESHEET } from './assets/uplot.generated.js';

interface Asset {
  type: string;
  body: Buffer;
  hash: string;
}

function asset(type: string, body: string): Asset {
  const bytes = Buffer.from(body);
  return { type, body: bytes, hash: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
}

let loaded: Map<string, Asset> | undefined;

/** Hashed once, on first use: the files never change while the process lives. */
function assets(): Map<string, Asset> {
  loaded ??= new Map([
    ['dashboard.css', asset('text/css; charset=utf-8', STYLESHEET)],
    ['dashboard.js', asset('text/javascript; charset=utf-8', CLIENT_SCRIPT)],
    ['icon.svg', asset('image/svg+xml', ICON)],
    ['uPlot.min.css', asset('text/css; charset=utf-8', UPLOT_STYLESHEET)],
    ['uPlot.iife.min.js', asset('text/javascript; charset=utf-8', UPLOT_SCRIPT)],
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
