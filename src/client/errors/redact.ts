/**
 * The one exit every error takes out of the client: a call's errors (request.ts) and a stream's (its control's
 * `redact`). Scrubbing here, and not where each error is built, means a new error path cannot forget it.
 */
import { REDACTED, redactText, redactValue } from "../redact";
import { OpenRouterError } from "./classes";

/**
 * Scrubs the bearer token `key` out of an error (message, stack, every own field, a cause that mentions it) or out
 * of a JSON value. A caller's own error (thrown by a hook such as `onViolation`) passes through as the same instance.
 */
export function redactError<T>(v: T, key: string): T {
  if (!(v instanceof OpenRouterError)) return v instanceof Error ? v : redactValue(v, key);
  if (!key) return v;
  const m = redactText(v.message, key);
  if (m !== v.message) {
    v.message = m;
    v.stack = redactText(String(v.stack), key);
  }
  const fields = v as unknown as Record<string, unknown>;
  for (const k of Object.keys(v)) fields[k] = redactValue(fields[k], key);
  const c = v.cause;
  if (c !== undefined) {
    let s: string;
    try {
      s = c instanceof Error ? `${c.message}\n${c.stack}` : String(c);
    } catch {
      s = "";
    }
    if (redactText(s, key) !== s) v.cause = REDACTED;
  }
  return v;
}
