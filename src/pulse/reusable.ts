// A resource opened on first use and shared until it stops being usable, then reopened by the next use.
// Concurrent users share one opening, so a reconnect never opens two connections (or channels) at once.

export function reusable<T>(open: () => Promise<T>, usable: (value: T) => boolean): () => Promise<T> {
  let current: T | undefined;
  let opening: Promise<T> | undefined;
  return () => {
    if (current !== undefined && usable(current)) return Promise.resolve(current);
    opening ??= open().then(
      (value) => { current = value; opening = undefined; return value; },
      (error: unknown) => { opening = undefined; throw error; },
    );
    return opening;
  };
}
