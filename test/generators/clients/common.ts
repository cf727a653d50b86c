// What each generated client reports back to generators.test.ts. The usage files beside this one are type-checked
// with `tsc --strict` together with the generated code, so every field read here is a typed read.
export interface Outcome {
  /** The assistant's text from a typed `ChatCompletion`. */
  chat: string | null | undefined;
  /** The text of the first `Completion` choice. */
  completion: string | null | undefined;
  /** The typed 400 error: its status, `error.code`, `error.message` and the pointers of `metadata.violations`. */
  badRequest: { status: number; code: number | undefined; message: string; pointers: string[] };
  /** Typed chunks' `object` values and the joined content, when the generator makes a stream method. */
  stream?: { objects: string[]; content: string };
  /**
   * What the client made from openapi.stream.json does with a streamed call when it makes no typed stream:
   * `"sse text typed as a chunk"` (the raw `data:` lines, typed as one chunk) or `"throws"`.
   */
  streamBundle?: "sse text typed as a chunk" | "throws";
}

/** Runs `call` and says how it failed: the stream-bundle clients that parse an SSE body as JSON throw. */
export async function throws(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return false;
  } catch {
    return true;
  }
}

export const API_KEY = "sk-or-v1-generators-test";
export const chatBody = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Say hello" }] };
export const completionBody = { model: "openai/gpt-3.5-turbo-instruct", prompt: "The capital of France is" };
/** Well typed but out of range twice: the mock names `/temperature` (max 2) and `/top_p` (exclusive min 0). */
export const invalidBody = { ...chatBody, temperature: 3, top_p: 0 };

/** `metadata.violations[].pointer`, read from whichever metadata type the generator gave. */
export function pointersOf(metadata: unknown): string[] {
  if (!metadata || typeof metadata !== "object" || !("violations" in metadata)) return [];
  const violations = (metadata as { violations: unknown }).violations;
  return Array.isArray(violations) ? violations.map((v: { pointer?: unknown }) => String(v.pointer)) : [];
}
