// The dashboard's URLs. Check ids and task queue ids contain slashes (pool.proj/type.claim), which stay as
// path separators; everything else in them is percent-encoded.

const encodePath = (id: string): string => id.split('/').map(encodeURIComponent).join('/');

export const checkHref = (checkId: string, query = ''): string => `/checks/${encodePath(checkId)}${query}`;
export const poolHref = (taskQueueId: string, query = ''): string => `/pools/${encodePath(taskQueueId)}${query}`;

/** The id after a route's prefix, or undefined when the path is not under it or does not decode. */
export function idAfter(prefix: string, pathname: string): string | undefined {
  if (!pathname.startsWith(prefix) || pathname.length === prefix.length) return undefined;
  try {
    return decodeURIComponent(pathname.slice(prefix.length));
  } catch {
    return undefined;
  }
}
