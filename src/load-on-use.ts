// Packages loaded when first used instead of when the module using them is imported, for code that needs one
// inside a synchronous call (elsewhere `await import` does it): a command then loads only what it runs, e.g. a
// run of pings no Taskcluster client. A module loaded here is the very instance an `import` of the package gives.
// Node's own modules (node:http) come through here too where an ES import would cost more than the module: it
// builds their namespace from every export, and node:http's WebSocket export loads undici.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The package's module, e.g. `loadOnUse<typeof import('yaml')>('yaml')` or `('node:https')`, loaded at the first call. */
export function loadOnUse<Module>(specifier: string): () => Module {
  let loaded: Module | undefined;
  // A package is resolved as `import` resolves it (its import conditions), then required: for an ES module,
  // require shares the module map with import, so no second copy of a package with separate CommonJS and ESM
  // builds is loaded.
  const path = () => (specifier.startsWith('node:') ? specifier : fileURLToPath(import.meta.resolve(specifier)));
  return () => (loaded ??= require(path()) as Module);
}
