// V8's compiled code for the modules a command loads is kept on disk (Node's compile cache, in the system's
// temporary folder), so a one-shot run does not compile tc-canary and its dependencies anew each time.
// Imported by main.ts before anything else: the command, its checks and their dependencies are imported
// after it. NODE_DISABLE_COMPILE_CACHE=1 turns it off, as for any Node program.

import { enableCompileCache } from 'node:module';

enableCompileCache();
