// Which recording answers a request: the match key (method, path and the request body or parts of it), the order in
// which recordings with the same key are served, and, for a request nothing matches, the closest recording.
import { getAt, parsePointer } from "../spec/pointer";
import type { ExchangeRecord } from "../conformance/types";
import { canonical, type Difference, differences } from "./json";

/**
 * What must be equal for a recording to answer a request, besides method and path: `"body"` (default: the whole
 * request body, JSON-equal, key order ignored), `"path"` (method and path only), or a list of top-level body fields
 * and JSON pointers (`["model", "messages"]`, `["/model", "/messages/0/content"]`).
 */
export type MatchOption = "body" | "path" | string[];

/** A recording ready to answer: its record, a name for reports and its place in the loaded order. */
export interface Recording {
  id: string;
  index: number;
  record: ExchangeRecord;
}

export interface IncomingRequest {
  method: string;
  /** Path after the base path, e.g. `/chat/completions`. */
  path: string;
  /** Parsed JSON body, or the raw text when it is not JSON (undefined = no body). */
  body: unknown;
}

export interface Miss {
  /** The recording closest to the request (same method and path first, then fewest differences). */
  closest?: Recording;
  /** First difference between the closest recording's key and the request's (a pointer into the request body). */
  difference?: Difference & { where: "request" | "body" };
  /** How many recordings were compared. */
  candidates: number;
}

interface Entry extends Recording {
  route: string;
  parts: [string, unknown][];
  key: string;
}

/** `--match` text: `body`, `path`, or fields and pointers separated by `+` or `,` (`model+messages`). */
export function parseMatch(text: string | undefined): MatchOption {
  const t = (text ?? "body").trim();
  if (t === "body" || t === "path") return t;
  const items = t
    .split(/[+,]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length)
    throw new Error(`--match needs body, path or a list of fields/pointers (got ${JSON.stringify(text)})`);
  for (const i of items) if (i.startsWith("/")) parsePointer(i);
  return items;
}

/** `/api/v1/chat/completions`, `https://openrouter.ai/api/v1/chat/completions` -> `/chat/completions`. */
export function routePath(url: string): string {
  let p: string;
  try {
    p = new URL(url, "http://replay.invalid").pathname;
  } catch {
    p = url.split("?")[0] ?? url;
  }
  const i = p.indexOf("/api/v1/");
  return (i >= 0 ? p.slice(i + "/api/v1".length) : p).replace(/\/+$/, "") || "/";
}

function recordBody(r: ExchangeRecord): unknown {
  return r.request.body !== undefined ? r.request.body : r.request.bodyText;
}

/** How different one differing value is: 1, less for two strings that share a start or an end ("hello"/"hellO"). */
function distance(d: Difference): number {
  const { expected: a, actual: b } = d;
  if (typeof a !== "string" || typeof b !== "string") return 1;
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  return 1 - (pre + suf) / Math.max(a.length, b.length, 1);
}

export class Matcher {
  private readonly entries: Entry[];
  private readonly byKey = new Map<string, Entry[]>();
  private readonly cursor = new Map<string, number>();
  private next = 0;

  constructor(
    recordings: Recording[],
    private readonly match: MatchOption = "body",
    private readonly sequence = false,
  ) {
    this.entries = recordings.map((r) => {
      const route = `${r.record.request.method.toUpperCase()} ${routePath(r.record.request.url)}`;
      const parts = this.parts(recordBody(r.record));
      const e = { ...r, route, parts, key: `${route}\u0000${canonical(parts)}` };
      const list = this.byKey.get(e.key);
      if (list) list.push(e);
      else this.byKey.set(e.key, [e]);
      return e;
    });
  }

  /** The parts of a body the key compares, each with the pointer it came from. */
  private parts(body: unknown): [string, unknown][] {
    if (this.match === "path") return [];
    if (this.match === "body") return [["", body]];
    return this.match.map((f) => {
      const ptr = f.startsWith("/") ? f : `/${f.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      return [ptr, body && typeof body === "object" ? getAt(body, ptr) : undefined];
    });
  }

  /** The recording that answers `req`, or why none does. Same-key recordings are served in order, cycling. */
  take(req: IncomingRequest): { recording: Recording } | { miss: Miss } {
    const route = `${req.method.toUpperCase()} ${req.path}`;
    const parts = this.parts(req.body);
    const key = `${route}\u0000${canonical(parts)}`;
    if (this.sequence) {
      const want = this.entries[this.next % this.entries.length];
      if (want && want.key === key) {
        this.next++;
        return { recording: want };
      }
      return { miss: this.explain(want ? [want] : [], route, parts) };
    }
    const list = this.byKey.get(key);
    if (list) {
      const n = this.cursor.get(key) ?? 0;
      this.cursor.set(key, n + 1);
      return { recording: list[n % list.length]! };
    }
    const sameRoute = this.entries.filter((e) => e.route === route);
    return { miss: this.explain(sameRoute.length ? sameRoute : this.entries, route, parts) };
  }

  /** Start every cursor (and the sequence) from the first recording again. */
  reset(): void {
    this.cursor.clear();
    this.next = 0;
  }

  private explain(candidates: Entry[], route: string, parts: [string, unknown][]): Miss {
    let best: { e: Entry; diffs: Difference[]; score: number } | undefined;
    for (const e of candidates) {
      const diffs = e.parts.flatMap(([ptr, v], i) => differences(v, parts[i]?.[1], 50, ptr));
      const score = (e.route !== route ? 1000 : 0) + diffs.reduce((n, d) => n + distance(d), 0);
      if (!best || score < best.score) best = { e, diffs, score };
    }
    if (!best) return { candidates: 0 };
    const { e, diffs } = best;
    if (e.route !== route)
      return {
        closest: e,
        candidates: candidates.length,
        difference: { where: "request", pointer: "", expected: e.route, actual: route },
      };
    const d = diffs[0];
    return { closest: e, candidates: candidates.length, ...(d ? { difference: { where: "body", ...d } } : {}) };
  }
}
