// JSON equality ignoring key order, and the first place two JSON values differ (a JSON pointer), for matching requests
// to recordings and for naming what kept an unmatched request from matching.
import { escapeToken, isJsonObject } from "../spec/pointer";

/** JSON text with object keys sorted at every level: equal texts = JSON-equal values (key order ignored). */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : canonical(x))).join(",")}]`;
  if (isJsonObject(v)) {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return v === undefined ? "undefined" : JSON.stringify(v);
}

export interface Difference {
  /** JSON pointer to the first differing value ("" = the whole value). */
  pointer: string;
  /** The recording's value there (undefined = absent). */
  expected: unknown;
  /** The request's value there (undefined = absent). */
  actual: unknown;
}

/**
 * Differences between `expected` and `actual`, in the recording's key order (then keys only the request has), at most
 * `limit` of them: the first names what to fix, the count ranks recordings by closeness.
 */
export function differences(expected: unknown, actual: unknown, limit = 50, at = ""): Difference[] {
  const out: Difference[] = [];
  const walk = (e: unknown, a: unknown, p: string) => {
    if (out.length >= limit) return;
    if (Array.isArray(e) && Array.isArray(a)) {
      for (let i = 0; i < Math.max(e.length, a.length); i++) walk(e[i], a[i], `${p}/${i}`);
      return;
    }
    if (isJsonObject(e) && isJsonObject(a)) {
      for (const k of Object.keys(e)) walk(e[k], a[k], `${p}/${escapeToken(k)}`);
      for (const k of Object.keys(a)) if (!(k in e)) walk(undefined, a[k], `${p}/${escapeToken(k)}`);
      return;
    }
    if (e === a || (e !== undefined && a !== undefined && canonical(e) === canonical(a))) return;
    out.push({ pointer: p, expected: e, actual: a });
  };
  walk(expected, actual, at);
  return out;
}
