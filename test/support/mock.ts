// Shared helpers for the mock tests: everything (paths, statuses, example keys, chunk schemas, valid bodies) is read
// from the bundle the mock serves, never hard-coded. MOCK_SPEC (same env as the globalSetup) selects another spec.
import { inject } from "vitest";
import { indexOperations, streamMediaOf, type OperationSpec } from "../../src/spec/operations";
import { getAt } from "../../src/spec/pointer";
import { deref, doc, schemaValidators } from "./spec";

export { deref, doc, root, specFile } from "./spec";

type Obj = Record<string, any>;

export const baseUrl: string = inject("apiBaseUrl");
export const hasServer = baseUrl !== "";
export const AUTH = { authorization: "Bearer sk-or-v1-test" };
export const JSON_CT = { "content-type": "application/json" };

export interface Op {
  path: string;
  method: string;
  operationId: string;
  op: Obj;
  /** status -> response object (dereferenced). */
  responses: Record<string, Obj>;
  requestSchema: any;
  /** A valid non-streaming request body (first request example without stream: true). */
  validBody: Obj;
  /** The operation as the library indexes it (media types, chunk schema pointer). */
  spec: OperationSpec;
}

const METHODS = ["get", "post", "put", "patch", "delete"];

export const ops: Op[] = indexOperations(doc)
  .filter((o) => METHODS.includes(o.method))
  .map((spec) => {
    const { path, method, pointer, operationId } = spec;
    const op = getAt(doc, pointer) as Obj;
    const media = deref(op.requestBody)?.content?.["application/json"] ?? {};
    const examples = Object.values<any>(media.examples ?? {})
      .map((e) => deref(e)?.value)
      .filter((v) => v && typeof v === "object");
    const validBody = examples.find((v) => v.stream !== true) ?? media.example ?? {};
    const responses = Object.fromEntries(Object.entries<any>(op.responses ?? {}).map(([s, r]) => [s, deref(r)]));
    const requestSchema = media.schema;
    const body = structuredClone(validBody);
    return { path, method, operationId: operationId!, op, responses, requestSchema, validBody: body, spec };
  });

export const streamingOps = ops.filter((o) => o.responses["200"]?.content?.["text/event-stream"]);

export function url(op: Op | string): string {
  return baseUrl + (typeof op === "string" ? op : op.path);
}

export async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url(path), {
    method: "POST",
    headers: { ...AUTH, ...JSON_CT, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Validator for a schema node of the bundle (`{$ref: "#/components/..."}` or inline). */
export function validatorFor(schema: any) {
  return schemaValidators(doc).of(schema);
}

/** The chunk schema of an operation's SSE 200 response, found via the media type's contentSchema. */
export function chunkSchemaOf(op: Op): any {
  const chunk = streamMediaOf(op.spec)?.chunkPointer;
  if (!chunk?.endsWith("/contentSchema"))
    throw new Error(`${op.operationId}: text/event-stream schema has no contentSchema`);
  return getAt(doc, chunk);
}

/** The ErrorResponse schema as declared by an operation's 400 response. */
export function errorSchemaOf(op: Op, status = "400"): any {
  return op.responses[status]?.content?.["application/json"]?.schema;
}

// ---- SSE reading with arrival times. ----
export interface TimedEvent {
  raw: string;
  at: number;
}

/** Reads a fetch body as SSE events (split on blank lines), recording when each complete event arrived. */
export async function readEvents(
  res: Response,
  opts: { stopAfter?: number; onEvent?: (e: TimedEvent) => void } = {},
): Promise<{ events: TimedEvent[]; endedAt: number }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const events: TimedEvent[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let idx: number;
    while ((idx = buf.search(/\r?\n\r?\n/)) >= 0) {
      const raw = buf.slice(0, idx);
      buf = buf.slice(idx).replace(/^\r?\n\r?\n/, "");
      if (raw.trim() === "") continue;
      const ev = { raw, at: performance.now() };
      events.push(ev);
      opts.onEvent?.(ev);
      if (opts.stopAfter !== undefined && events.length >= opts.stopAfter) {
        await reader.cancel();
        return { events, endedAt: performance.now() };
      }
    }
  }
  if (buf.trim() !== "") events.push({ raw: buf, at: performance.now() });
  return { events, endedAt: performance.now() };
}

export function splitTranscript(t: string): string[] {
  return t.split(/\r?\n\r?\n/).filter((e) => e.trim() !== "");
}

export const isComment = (raw: string) => raw.split(/\r?\n/).every((l) => l.startsWith(":"));
export const dataOf = (raw: string) =>
  raw
    .split(/\r?\n/)
    .filter((l) => l.startsWith("data:"))
    .map((l) => l.slice(5).replace(/^ /, ""))
    .join("\n");

export function exampleValue(ex: any): any {
  return deref(ex)?.value;
}
