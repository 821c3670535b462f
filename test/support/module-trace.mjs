// Preloaded into a spawned CLI (NODE_OPTIONS=--import=<this file>): writes the URL of every module the process
// loaded, imported or required, one a line, to $TC_CANARY_MODULE_TRACE when it exits.

import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = new Set();
registerHooks({
  load(url, context, nextLoad) {
    loaded.add(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.TC_CANARY_MODULE_TRACE, [...loaded].join('\n')));
