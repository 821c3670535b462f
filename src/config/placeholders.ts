// ${VAR} references stay as written in the parsed config and are resolved only where the value is used, so
// no dump, diagnostic or report of the config can show a secret. Resolved values are registered as secrets.

import type { Redactor } from '../redact.js';
import { ConfigError } from './diagnostics.js';

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const MALFORMED = /\$\{(?![A-Za-z_][A-Za-z0-9_]*\})/;
const WHOLE_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Why a string's placeholders are malformed, or undefined. */
export function placeholderProblem(text: string): string | undefined {
  return MALFORMED.test(text) ? 'a ${...} reference must be ${NAME} with letters, digits and _' : undefined;
}

/** The environment variables a string refers to. */
export function referencedVariables(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

export interface ResolveOptions {
  /** Where the value is in the config, for the error message. */
  path: string;
  source: string;
  redactor: Redactor;
  /** False for values shown in reports anyway, such as rootUrl. */
  secret: boolean;
}

/** The variables a string refers to that the environment does not set (or sets empty). */
export function unsetVariables(text: string, env: NodeJS.ProcessEnv): string[] {
  return referencedVariables(text).filter((name) => env[name] === undefined || env[name] === '');
}

export function resolvePlaceholders(text: string, env: NodeJS.ProcessEnv, options: ResolveOptions): string {
  const missing = unsetVariables(text, env);
  if (missing.length > 0) {
    throw new ConfigError(options.source, missing.map((name) => ({ path: options.path, message: `environment variable ${name} is not set` })));
  }
  return substituteVariables(text, env, (value) => options.secret && options.redactor.add(value));
}

/** The text with each reference replaced by its variable's value; every variable must be set. */
export function substituteVariables(text: string, env: NodeJS.ProcessEnv, onValue: (value: string) => void = () => undefined): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = env[name]!;
    onValue(value);
    return value;
  });
}

/** Whether the text is one reference and nothing else (`${MAX}`, not `max-${N}`). */
export function isWholeReference(text: string): boolean {
  return WHOLE_REFERENCE.test(text);
}
