// Calls made in the same tick, answered by one call with all of them. The scheduler asks the coordinator
// about every check due in a slot in one go; one PostgreSQL statement for all of them costs about what a
// single one did, where 167 statements in a row on a small pool made the last check start 50-350 ms late.

/** `handle` gets the items of one tick in call order and answers them in the same order. */
export function batchedPerTick<T, R>(handle: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let batch: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> | undefined;
  const flush = () => {
    const calls = batch!;
    batch = undefined;
    handle(calls.map((call) => call.item)).then(
      (results) => calls.forEach((call, i) => call.resolve(results[i]!)),
      (error: unknown) => calls.forEach((call) => call.reject(error)),
    );
  };
  return (item) => new Promise<R>((resolve, reject) => {
    if (!batch) {
      batch = [];
      queueMicrotask(flush);
    }
    batch.push({ item, resolve, reject });
  });
}
