// Preloaded into a spawned CLI (NODE_OPTIONS=--import=<this file>): writes the URL of every module the process
// compiled, imported or required, one a line, to $TC_CANARY_MODULE_TRACE when it exits. Read from V8's own
// list of the scripts it parsed (the inspector protocol), so it works on every Node the project runs on; then
// Node's own modules it loaded, as builtin:<name> (process.moduleLoadList).

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const loaded = new Set();
const session = new Session();
session.connect();
session.on('Debugger.scriptParsed', ({ params }) => {
  // Node's own modules are node:...; files are file:// URLs (ES modules) or paths (CommonJS).
  if (params.url.startsWith('file:') || params.url.startsWith('/')) loaded.add(params.url);
});
session.post('Debugger.enable');
process.on('exit', () => {
  const builtins = process.moduleLoadList.flatMap((entry) => /^NativeModule (.+)$/.exec(entry)?.[1] ?? []).map((name) => `builtin:${name}`);
  writeFileSync(process.env.TC_CANARY_MODULE_TRACE, [...loaded, ...builtins].join('\n'));
});
