// On Node 22, node:sqlite (the embedded history's driver) still calls itself experimental: loading it prints an
// ExperimentalWarning to stderr, which a user of the CLI can do nothing about and a CI log reads as a problem.
// That one warning is dropped; every other warning is printed as Node prints it. Imported first by main.ts, so
// it is in place before anything can load node:sqlite.

const SQLITE_EXPERIMENTAL = 'SQLite is an experimental feature';

const emitWarning = process.emitWarning;
process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
  const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
  if (type === 'ExperimentalWarning' && String(warning).startsWith(SQLITE_EXPERIMENTAL)) return;
  (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
} as typeof process.emitWarning;
