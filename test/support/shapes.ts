// The shape of a JSON value as a set of typed JSON pointers, array indices normalised: {"a":[{"b":null}]} gives
// {"/a/*/b:null"} (objects and arrays are named by their leaves; an empty one is named itself, e.g. "/a:[]").
// Two payloads have the same shape when their sets are equal; the comparison ignores values but not types or nulls.
import { sseDataEvents } from "./shared-captures";

const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "[]";
  if (typeof v === "object") return "{}";
  return typeof v;
}

/** Typed pointers of every leaf of `v` (indices as `*`). */
export function shapeOf(v: unknown, at = "", out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    if (!v.length) out.add(`${at}:[]`);
    for (const x of v) shapeOf(x, `${at}/*`, out);
  } else if (v !== null && typeof v === "object") {
    const keys = Object.keys(v);
    if (!keys.length) out.add(`${at}:{}`);
    for (const k of keys) shapeOf((v as Record<string, unknown>)[k], `${at}/${esc(k)}`, out);
  } else out.add(`${at}:${typeOf(v)}`);
  return out;
}

/** The shape of a stream: the union of its data events' shapes (`[DONE]` and comments left out). */
export function streamShape(sse: string): Set<string> {
  const out = new Set<string>();
  for (const e of sseDataEvents(sse)) shapeOf(e, "", out);
  return out;
}

/** Members of `a` missing from `b`. */
export const missingFrom = (a: Set<string>, b: Set<string>) => [...a].filter((x) => !b.has(x));
