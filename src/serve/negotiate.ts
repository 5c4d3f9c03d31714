/**
 * Content negotiation for the few choices serve makes. Parsing follows RFC
 * 9110: comma-separated ranges, optional `;q=` weights, q=0 means "not
 * acceptable", and a more specific range beats a wildcard.
 */

interface Range {
  readonly type: string;
  readonly q: number;
}

function parse(header: string | null): Range[] {
  if (!header) return [];
  return header.split(",").map((part) => {
    const [type, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    let q = 1;
    for (const p of params) {
      const m = /^q=([\d.]+)$/.exec(p);
      if (m) q = Math.min(1, Number(m[1]) || 0);
    }
    return { type, q };
  }).filter((r) => r.type !== "");
}

/** The weight a header gives `type` (e.g. `text/html`), via exact, `text/*` or `*\/*`. */
function weight(ranges: readonly Range[], type: string): number {
  const exact = ranges.find((r) => r.type === type);
  if (exact) return exact.q;
  const group = ranges.find((r) => r.type === type.split("/")[0] + "/*");
  if (group) return group.q;
  return ranges.find((r) => r.type === "*/*")?.q ?? 0;
}

/**
 * True when the scraper asks for OpenMetrics at least as strongly as for the
 * Prometheus text format (Prometheus 2.x sends OpenMetrics with q=1 and
 * text/plain with q=0.5). A wildcard alone means Prometheus text.
 */
export function wantsOpenMetrics(accept: string | null): boolean {
  const ranges = parse(accept);
  const om = ranges.find((r) => r.type === "application/openmetrics-text")?.q ?? 0;
  return om > 0 && om >= weight(ranges, "text/plain");
}

/** True when `Accept-Encoding` allows gzip. */
export function acceptsGzip(acceptEncoding: string | null): boolean {
  const ranges = parse(acceptEncoding);
  const gzip = ranges.find((r) => r.type === "gzip" || r.type === "x-gzip");
  if (gzip) return gzip.q > 0;
  return (ranges.find((r) => r.type === "*")?.q ?? 0) > 0;
}

/** True when the client prefers HTML over JSON (browsers do; curl does not). */
export function prefersHtml(accept: string | null): boolean {
  const ranges = parse(accept);
  const html = weight(ranges, "text/html");
  return html > 0 && html > weight(ranges, "application/json") &&
    ranges.some((r) => r.type === "text/html");
}
