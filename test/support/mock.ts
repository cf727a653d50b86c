// Shared helpers for the mock tests: everything (paths, statuses, example keys, chunk schemas, valid bodies) is read
// from the bundle the mock serves, never hard-coded. MOCK_SPEC (same env as the globalSetup) selects another spec.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { inject } from "vitest";
import { parse as parseYaml } from "yaml";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

export const root = resolve(import.meta.dirname, "../..");
export const specFile = process.env.MOCK_SPEC ? resolve(process.env.MOCK_SPEC) : resolve(root, "generated/openapi.json");

type Obj = Record<string, any>;
export const doc: Obj = specFile.endsWith(".json") ? JSON.parse(readFileSync(specFile, "utf8")) : parseYaml(readFileSync(specFile, "utf8"));

export const baseUrl: string = inject("apiBaseUrl");
export const hasServer = baseUrl !== "";
export const AUTH = { authorization: "Bearer sk-or-v1-test" };
export const JSON_CT = { "content-type": "application/json" };

export function deref(node: any, depth = 0): any {
  if (!node || typeof node !== "object" || typeof node.$ref !== "string" || !node.$ref.startsWith("#/") || depth > 20) return node;
  let cur: any = doc;
  for (const raw of node.$ref.slice(2).split("/")) cur = cur?.[decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~")];
  return deref(cur, depth + 1);
}

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
}

export const ops: Op[] = Object.entries<Obj>(doc.paths ?? {}).flatMap(([path, item]) =>
  Object.entries<Obj>(deref(item))
    .filter(([m]) => ["get", "post", "put", "patch", "delete"].includes(m))
    .map(([method, op]) => {
      const media = deref(op.requestBody)?.content?.["application/json"] ?? {};
      const examples = Object.values<any>(media.examples ?? {}).map((e) => deref(e)?.value).filter((v) => v && typeof v === "object");
      const validBody = examples.find((v) => v.stream !== true) ?? media.example ?? {};
      const responses = Object.fromEntries(Object.entries<any>(op.responses ?? {}).map(([s, r]) => [s, deref(r)]));
      return { path, method, operationId: op.operationId, op, responses, requestSchema: media.schema, validBody: structuredClone(validBody) };
    }),
);

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

// ---- Ajv over the bundle (2020-12). ----
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const SPEC_ID = "https://mock.test/openapi.json";
ajv.addSchema({ ...doc, $id: SPEC_ID });

/** Validator for a schema node of the bundle (`{$ref: "#/components/..."}` or inline). */
export function validatorFor(schema: any) {
  if (schema && typeof schema.$ref === "string" && schema.$ref.startsWith("#/")) {
    const v = ajv.getSchema(SPEC_ID + schema.$ref);
    if (!v) throw new Error(`no schema ${schema.$ref}`);
    return v;
  }
  return ajv.compile({ $id: `inline-${Math.random()}`, ...schema, $defs: undefined, components: doc.components, $schema: undefined });
}

/** The chunk schema of an operation's SSE 200 response, found via the media type's contentSchema. */
export function chunkSchemaOf(op: Op): any {
  const media = op.responses["200"]?.content?.["text/event-stream"];
  const schema = deref(media?.schema);
  if (!schema?.contentSchema) throw new Error(`${op.operationId}: text/event-stream schema has no contentSchema`);
  return schema.contentSchema;
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
export async function readEvents(res: Response, opts: { stopAfter?: number; onEvent?: (e: TimedEvent) => void } = {}): Promise<{ events: TimedEvent[]; endedAt: number }> {
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
