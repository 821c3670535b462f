// checksDir files import the toolkit by its package name (`import { defineCheck } from 'tc-canary/check'`).
// From a folder outside tc-canary's own package (a user's checks beside their config, tc-canary installed
// globally or run with npx), Node cannot resolve that name: before loading them, the catalogue maps it to
// this installation's toolkit, so a user's check and the built-in ones share one copy of it. The hook runs in
// this thread (module.registerHooks): module.register's, on a loader thread, is deprecated from Node 26 on,
// with a warning on every run.

import { registerHooks } from 'node:module';

const SPECIFIER = 'tc-canary/check';
let registered = false;

export function resolveToolkitImports(): void {
  if (registered) return;
  registered = true;
  const toolkit = new URL('../check/index.js', import.meta.url).href;
  registerHooks({
    resolve: (specifier, context, nextResolve) => (specifier === SPECIFIER ? { url: toolkit, shortCircuit: true } : nextResolve(specifier, context)),
  });
}
