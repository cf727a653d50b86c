/**
 * Scrubbing the API key out of server-provided text before it reaches an error.
 *
 * A key of `LONG_KEY` characters or more is replaced wherever it occurs: such a string does not turn up inside
 * unrelated text by chance. A shorter key (tests against the mock often use "x" or "test") is replaced only where it
 * stands alone, not next to a letter, digit, `_` or `-`: `apiKey: "x"` must not turn "Rate limit exceeded" into
 * "Rate limit e[REDACTED]ceeded". JSON values are walked (strings and property names), never re-serialized, so
 * redaction cannot break their structure or drop fields.
 */
import { isObject, type JsonObject } from "./json";

/** What a scrubbed key (or any redacted secret) is replaced with. */
export const REDACTED = "[REDACTED]";
/** Keys at least this long are replaced everywhere; shorter ones only as whole words. */
export const LONG_KEY = 16;
const WORD = /[\p{L}\p{N}_-]/u;

/** `text` with every occurrence of `key` (every whole-word occurrence for a short key) replaced by "[REDACTED]". */
export function redactText(text: string, key: string): string {
  if (!key || !text.includes(key)) return text;
  if (key.length >= LONG_KEY) return text.split(key).join(REDACTED);
  let out = "";
  let from = 0;
  for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + 1)) {
    if (i >= from && !WORD.test(text.charAt(i - 1)) && !WORD.test(text.charAt(i + key.length))) {
      out += text.slice(from, i) + REDACTED;
      from = i + key.length;
    }
  }
  return out + text.slice(from);
}

/**
 * A copy of a JSON-like value with `key` redacted in every string and property name. Iterative (a deeply nested
 * body cannot overflow the stack); shared and circular references are kept as such.
 */
export function redactValue<T>(value: T, key: string): T {
  if (typeof value === "string") return redactText(value, key) as T;
  if (!key || value === null || typeof value !== "object") return value;
  const copies = new Map<object, object>();
  const copy = (v: unknown): unknown => {
    if (typeof v === "string") return redactText(v, key);
    if (!isObject(v)) return v;
    let c = copies.get(v);
    if (!c) {
      copies.set(v, (c = Array.isArray(v) ? [] : {}));
      todo.push(v);
    }
    return c;
  };
  const todo: JsonObject[] = [];
  const root = copy(value) as T;
  for (let v: JsonObject | undefined; (v = todo.pop()); ) {
    const c = copies.get(v)!;
    for (const k of Object.keys(v)) {
      // defineProperty: a "__proto__" key (JSON.parse makes it an own property) must stay data, not a prototype.
      Object.defineProperty(c, Array.isArray(v) ? k : redactText(k, key), {
        value: copy(v[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root;
}
