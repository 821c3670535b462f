// checksDir files import the toolkit by its package name (`import { defineCheck } from 'tc-canary/check'`).
// From a folder outside tc-canary's own package (a user's checks beside their config, tc-canary installed
// globally or run with npx), Node cannot resolve that name: before loading them, the catalogue maps it to
// this installation's toolkit, so a user's check and the built-in ones share one copy of it.

import { register } from 'node:module';

const SPECIFIER = 'tc-canary/check';
let registered = false;

export function resolveToolkitImports(): void {
  if (registered) return;
  registered = true;
  const toolkit = new URL('../check/index.js', import.meta.url).href;
  const hook = `export async function resolve(specifier, context, next) {
    return specifier === ${JSON.stringify(SPECIFIER)} ? { url: ${JSON.stringify(toolkit)}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
