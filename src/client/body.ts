/** Request and response bodies: JSON serialization that names what fails, and reads bounded in bytes. */
import { escapeToken } from "../spec/pointer";
import { InvalidRequestError } from "./errors/classes";

/** Error bodies are read up to this many bytes: enough for any error envelope or HTML error page. */
export const ERROR_BODY_BYTES = 1024 * 1024;

/** Cancels a body (or its reader) that will not be read further; a failed cancel (already closed) is ignored. */
export function discard(body: { cancel(): Promise<void> } | null | undefined): void {
  body?.cancel().catch(() => {});
}

/** Reads at most `max` bytes of the body as UTF-8; `over` when the server sent more (the rest is cancelled). */
export async function readText(res: Response, max: number): Promise<{ text: string; over: boolean }> {
  const reader = res.body?.getReader();
  const dec = new TextDecoder();
  let text = "";
  for (let n = 0; reader; ) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > max) {
      discard(reader);
      return { text: text + dec.decode(value.subarray(0, value.byteLength - (n - max))), over: true };
    }
    text += dec.decode(value, { stream: true });
  }
  return { text: text + dec.decode(), over: false };
}

/** The head of an error body (1 MiB, or `maxBodyBytes` if lower); the rest is discarded. */
export const readErrorBody = (res: Response, maxBodyBytes: number) =>
  readText(res, Math.min(maxBodyBytes, ERROR_BODY_BYTES));

/** Parsed JSON, or the text itself when it is not JSON (an HTML error page). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `JSON.stringify(body)`; a body it rejects (BigInt, cycle) throws `InvalidRequestError` with the JSON pointer. */
export function serialize(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (e) {
    const why = String((e as Error)?.message).split("\n")[0];
    const at = unserializableAt(body);
    throw new InvalidRequestError(`Request body is not JSON-serializable at "${at}": ${why}`);
  }
}

/** JSON pointer of the value `JSON.stringify(body)` fails on (BigInt, circular reference), found on the error path. */
function unserializableAt(body: unknown): string {
  const paths = new Map<unknown, string>();
  let at = "";
  try {
    JSON.stringify(body, function (this: unknown, k: string, v: unknown) {
      at = paths.has(this) ? `${paths.get(this)}/${escapeToken(k)}` : "";
      if (v !== null && typeof v === "object") paths.set(v, at);
      return v;
    });
  } catch {}
  return at;
}
