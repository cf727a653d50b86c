/**
 * The operation index of an OpenAPI document: operations by operationId/path/method, their parameters, request and
 * response media types (with the SSE chunk schema and terminator) and headers, all as pointers into the document.
 */
import { escapeToken, toPointer } from "./pointer";
import { resolveRef } from "./ref";

type Json = Record<string, unknown>;

export const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export type MediaKind = "json" | "sse" | "other";

export interface MediaSpec {
  mediaType: string;
  kind: MediaKind;
  /** Pointer (`#/...`) to the media type's schema, if any. */
  schemaPointer?: string;
  /** text/event-stream only: pointer to the schema of one parsed `data:` payload. */
  chunkPointer?: string;
  /** text/event-stream only: the sentinel data value that ends a stream (default `[DONE]`). */
  terminator?: string;
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  schemaPointer?: string;
}

export interface ResponseSpec {
  /** "200", "4XX", "default". */
  status: string;
  pointer: string;
  content: MediaSpec[];
  headers: HeaderSpec[];
}

export interface ParameterSpec {
  name: string;
  in: string;
  required: boolean;
  schemaPointer?: string;
}

export interface OperationSpec {
  operationId?: string;
  /** Path-item and operation parameters (header names lowercased). */
  parameters: ParameterSpec[];
  method: string;
  path: string;
  pointer: string;
  request?: { required: boolean; content: MediaSpec[] };
  responses: ResponseSpec[];
  /** true when a security requirement applies (operation-level or root). */
  secured: boolean;
}

/** The document itself, once checked to be an OpenAPI 3.1/3.2 object (the versions the library validates). */
export function openApiDocument(spec: unknown): Json {
  if (!spec || typeof spec !== "object" || Array.isArray(spec)) {
    throw new Error("spec must be an OpenAPI document object");
  }
  const s = spec as Json;
  if (typeof s.openapi !== "string" || !/^3\.[12]\./.test(s.openapi)) {
    throw new Error(`unsupported OpenAPI version ${JSON.stringify(s.openapi)} (need 3.1.x or 3.2.x)`);
  }
  return s;
}

export function mediaKind(mt: string): MediaKind {
  const base = mt.split(";")[0]!.trim().toLowerCase();
  if (base === "text/event-stream") return "sse";
  if (base === "application/json" || base.endsWith("+json") || base === "*/*") return "json";
  return "other";
}

/** A content type without parameters, lowercased (`"Application/JSON; charset=utf-8"` → `"application/json"`). */
export function baseMediaType(ct: string | undefined): string {
  if (!ct) return "";
  const i = ct.indexOf(";");
  return (i < 0 ? ct : ct.slice(0, i)).trim().toLowerCase();
}

/** Find the documented media type for a content-type, respecting wildcards like `application/*`. */
export function findMedia(content: MediaSpec[], contentType: string): MediaSpec | undefined {
  const mt = baseMediaType(contentType);
  const exact = content.find((m) => baseMediaType(m.mediaType) === mt);
  if (exact) return exact;
  const [type] = mt.split("/");
  return (
    content.find((m) => baseMediaType(m.mediaType) === `${type}/*`) ??
    content.find((m) => baseMediaType(m.mediaType) === "*/*")
  );
}

/** The response object that documents a status: exact, then `4XX`-style range, then `default`. */
export function findResponse(op: OperationSpec, status: number): ResponseSpec | undefined {
  const s = String(status);
  return (
    op.responses.find((r) => r.status === s) ??
    op.responses.find((r) => r.status.toUpperCase() === `${s[0]}XX`) ??
    op.responses.find((r) => r.status === "default")
  );
}

/** The `text/event-stream` media type of the operation's first success response that has one. */
export function streamMediaOf(op: OperationSpec): MediaSpec | undefined {
  for (const r of op.responses) {
    if (!/^2/.test(r.status)) continue;
    const m = r.content.find((x) => x.kind === "sse");
    if (m) return m;
  }
  return undefined;
}

/** operationId, or `"POST /path"` when the operation has none. */
export function opName(op: OperationSpec): string {
  return op.operationId ?? `${op.method.toUpperCase()} ${op.path}`;
}

/** Find an operation by operationId, `"/chat/completions"` (POST first), or `"POST /chat/completions"`. */
export function findOperation(ops: OperationSpec[], ref: string): OperationSpec | undefined {
  const m = /^([A-Za-z]+)\s+(\/.*)$/.exec(ref.trim());
  if (m) return ops.find((o) => o.method === m[1]!.toLowerCase() && o.path === m[2]);
  return (
    ops.find((o) => o.operationId === ref) ??
    ops.find((o) => o.path === ref && o.method === "post") ??
    ops.find((o) => o.path === ref)
  );
}

const hasRequirement = (list: unknown[]) => list.some((r) => r && Object.keys(r as Json).length > 0);

/** Every operation of the document, in path then method order. */
export function indexOperations(spec: Json): OperationSpec[] {
  const ops: OperationSpec[] = [];
  const paths = (spec.paths ?? {}) as Json;
  const rootSecured = Array.isArray(spec.security) && hasRequirement(spec.security);
  const resolve = (node: unknown, ptr: string): { node: Json; ptr: string } => {
    const r = resolveRef(spec, node, ptr);
    return { node: (r.node ?? {}) as Json, ptr: r.pointer };
  };
  for (const [path, item0] of Object.entries(paths)) {
    const { node: item, ptr: itemPtr } = resolve(item0, `#${toPointer(["paths", path])}`);
    for (const method of METHODS) {
      const op0 = item[method];
      if (!op0 || typeof op0 !== "object") continue;
      const op = op0 as Json;
      const opPtr = `${itemPtr}/${method}`;
      const secured = Array.isArray(op.security) ? hasRequirement(op.security) : rootSecured;
      const parameters: ParameterSpec[] = [];
      const lists = [
        [item.parameters, `${itemPtr}/parameters`],
        [op.parameters, `${opPtr}/parameters`],
      ] as const;
      for (const [list, lPtr] of lists) {
        if (!Array.isArray(list)) continue;
        list.forEach((p0, i) => {
          const { node: p, ptr: pPtr } = resolve(p0, `${lPtr}/${i}`);
          if (typeof p.name !== "string" || typeof p.in !== "string") return;
          const name = p.in === "header" ? p.name.toLowerCase() : p.name;
          const entry: ParameterSpec = {
            name,
            in: p.in,
            required: p.required === true,
            ...(p.schema !== undefined ? { schemaPointer: `${pPtr}/schema` } : {}),
          };
          const at = parameters.findIndex((x) => x.name === name && x.in === p.in);
          if (at >= 0)
            parameters[at] = entry; // operation-level overrides path-level
          else parameters.push(entry);
        });
      }
      const spec1: OperationSpec = {
        method,
        path,
        pointer: opPtr,
        parameters,
        responses: [],
        secured,
        ...(typeof op.operationId === "string" ? { operationId: op.operationId } : {}),
      };
      if (op.requestBody) {
        const { node: rb, ptr: rbPtr } = resolve(op.requestBody, `${opPtr}/requestBody`);
        const content = mediaSpecs(spec, (rb.content ?? {}) as Json, `${rbPtr}/content`);
        spec1.request = { required: rb.required === true, content };
      }
      for (const [status, r0] of Object.entries((op.responses ?? {}) as Json)) {
        const { node: r, ptr: rPtr } = resolve(r0, `${opPtr}/responses/${escapeToken(status)}`);
        const headers: HeaderSpec[] = [];
        for (const [name, h0] of Object.entries((r.headers ?? {}) as Json)) {
          const { node: h, ptr: hPtr } = resolve(h0, `${rPtr}/headers/${escapeToken(name)}`);
          const schema = h.schema ? { schemaPointer: `${hPtr}/schema` } : {};
          headers.push({ name: name.toLowerCase(), required: h.required === true, ...schema });
        }
        const content = mediaSpecs(spec, (r.content ?? {}) as Json, `${rPtr}/content`);
        spec1.responses.push({ status, pointer: rPtr, content, headers });
      }
      ops.push(spec1);
    }
  }
  return ops;
}

/** The media types of a `content` map; for `text/event-stream`, where one event's `data` schema is declared. */
function mediaSpecs(spec: Json, content: Json, ptr: string): MediaSpec[] {
  const resolve = (node: unknown, p: string): { node: Json; ptr: string } => {
    const r = resolveRef(spec, node, p);
    return { node: (r.node ?? {}) as Json, ptr: r.pointer };
  };
  const out: MediaSpec[] = [];
  for (const [mt, m0] of Object.entries(content)) {
    const m = (m0 ?? {}) as Json;
    const mPtr = `${ptr}/${escapeToken(mt)}`;
    const kind = mediaKind(mt);
    const ms: MediaSpec = { mediaType: mt.toLowerCase(), kind };
    if (m.schema !== undefined) ms.schemaPointer = `${mPtr}/schema`;
    if (kind === "sse") {
      let terminator: unknown = m["x-sse-terminator"];
      // 3.1 modelling: schema -> {type: string, contentSchema: Chunk}; or Speakeasy style {properties: {data: Chunk}}
      if (m.schema !== undefined) {
        const { node: s, ptr: sPtr } = resolve(m.schema, `${mPtr}/schema`);
        terminator ??= s["x-sse-terminator"];
        const items = s.items && typeof s.items === "object" ? (s.items as Json) : undefined;
        const props = s.properties && typeof s.properties === "object" ? (s.properties as Json) : undefined;
        if (s.contentSchema !== undefined) ms.chunkPointer = `${sPtr}/contentSchema`;
        else if (items?.contentSchema !== undefined) ms.chunkPointer = `${sPtr}/items/contentSchema`;
        else if (props?.data !== undefined) {
          const { node: d, ptr: dPtr } = resolve(props.data, `${sPtr}/properties/data`);
          ms.chunkPointer = d.contentSchema !== undefined ? `${dPtr}/contentSchema` : dPtr;
        }
      }
      // OAS 3.2: itemSchema describes one event {data, event, id}; data carries contentSchema.
      if (!ms.chunkPointer && m.itemSchema !== undefined) {
        const { node: it, ptr: itPtr } = resolve(m.itemSchema, `${mPtr}/itemSchema`);
        terminator ??= it["x-sse-terminator"];
        const data = (it.properties as Json | undefined)?.data;
        if (data !== undefined) {
          const { node: d, ptr: dPtr } = resolve(data, `${itPtr}/properties/data`);
          ms.chunkPointer = d.contentSchema !== undefined ? `${dPtr}/contentSchema` : dPtr;
        } else if (it.contentSchema !== undefined) ms.chunkPointer = `${itPtr}/contentSchema`;
      }
      ms.terminator = typeof terminator === "string" ? terminator : "[DONE]";
    }
    out.push(ms);
  }
  return out;
}
