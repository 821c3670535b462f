// Packages loaded when first used instead of when the module using them is imported, for code that needs one
// inside a synchronous call (elsewhere `await import` does it): a command then loads only what it runs, e.g. a
// run of pings no Taskcluster client. A module loaded here is the very instance an `import` of the package gives.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The package's module, e.g. `loadOnUse<typeof import('yaml')>('yaml')`, loaded at the first call. */
export function loadOnUse<Module>(specifier: string): () => Module {
  let loaded: Module | undefined;
  // Resolved as `import` resolves it (its import conditions), then required: for an ES module, require shares
  // the module map with import, so no second copy of a package with separate CommonJS and ESM builds is loaded.
  return () => (loaded ??= require(fileURLToPath(import.meta.resolve(specifier))) as Module);
}
