// Check-id patterns: a pattern matches a whole id; `*` matches any characters, dots and slashes included.

export function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^${escaped}$`);
}

export function matchesPattern(id: string, pattern: string): boolean {
  return patternToRegExp(pattern).test(id);
}

export function matchesAny(id: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => matchesPattern(id, pattern));
}
