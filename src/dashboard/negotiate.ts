// Whether a request's Accept header prefers HTML to JSON. `/checks/<id>` answers JSON by default (machines,
// Telescope, curl's */*) and HTML only when the client asks for it more than for JSON, as browsers do.

function qualities(accept: string): Map<string, number> {
  const ranges = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [range, ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!range) continue;
    const q = params.find((param) => param.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    ranges.set(range, Number.isFinite(quality) ? quality : 0);
  }
  return ranges;
}

// The quality of a media type comes from the most specific range that matches it: exact, then type wildcard, then any.
function qualityOf(ranges: Map<string, number>, mediaType: string): number {
  const [type] = mediaType.split('/');
  return ranges.get(mediaType) ?? ranges.get(`${type}/*`) ?? ranges.get('*/*') ?? 0;
}

/** Ties go to JSON, the default. */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = qualities(accept);
  const html = qualityOf(ranges, 'text/html');
  return html > 0 && html > qualityOf(ranges, 'application/json');
}
