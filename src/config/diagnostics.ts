// Configuration problems are collected, never thrown one at a time: a person fixes them all in one edit.

export interface Diagnostic {
  /** Dotted path of the offending value, e.g. checks.params.ping.queue.timeout. */
  path: string;
  message: string;
}

export class Diagnostics {
  readonly list: Diagnostic[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }

  get empty(): boolean {
    return this.list.length === 0;
  }
}

/** Usage or configuration errors: the CLI prints every diagnostic and exits 2. */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';

  constructor(readonly source: string, readonly diagnostics: Diagnostic[]) {
    super(`${source}: ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}\n${diagnostics.map((d) => `  ${d.path ? `${d.path}: ` : ''}${d.message}`).join('\n')}`);
  }
}

/** The known name closest to a typo, for "did you mean". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
