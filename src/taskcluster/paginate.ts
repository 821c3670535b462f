// Taskcluster list calls answer a page and a continuationToken while more remain.

export interface Page {
  continuationToken?: string;
}

/** Every page of a list call, fetched lazily so a caller can stop as soon as it has seen enough. */
export async function* pages<P extends Page>(fetch: (query: { continuationToken?: string }) => Promise<P>): AsyncGenerator<P> {
  let continuationToken: string | undefined;
  do {
    const page = await fetch(continuationToken === undefined ? {} : { continuationToken });
    yield page;
    continuationToken = page.continuationToken;
  } while (continuationToken);
}

/** Every page, collected. */
export async function allPages<P extends Page>(fetch: (query: { continuationToken?: string }) => Promise<P>): Promise<P[]> {
  const collected: P[] = [];
  for await (const page of pages(fetch)) collected.push(page);
  return collected;
}
