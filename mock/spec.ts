// Reads what the layer needs from the bundled spec: paths, methods, statuses, SSE example keys, base path.
// Nothing here hard-codes schema or example names: everything comes from the bundle.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

export interface OperationInfo {
  operationId: string;
  method: string;
  /** Declared response statuses, e.g. ["200", "400", ...]. */
  statuses: string[];
  /** Example keys of the 200 `text/event-stream` media type, in spec order (first = default stream scenario). */
  sseExamples: string[];
  /** Example keys of the 200 `application/json` media type. */
  jsonExamples: string[];
  /** Schema of the `application/json` request body (may hold $refs into the bundle). */
  requestSchema?: unknown;
}

export interface SpecInfo {
  /** Path part of servers[0].url, e.g. "/api/v1" ("" when absent). */
  basePath: string;
  /** path -> method (lower case) -> operation. */
  paths: Map<string, Map<string, OperationInfo>>;
  doc: Record<string, unknown>;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);

/** Resolves a local `#/...` $ref inside the bundle (the bundle keeps component refs). */
export function deref(doc: Obj, node: unknown, depth = 0): unknown {
  if (!isObj(node) || typeof node.$ref !== "string" || depth > 20) return node;
  const ref = node.$ref;
  if (!ref.startsWith("#/")) return node;
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const seg = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    cur = isObj(cur) ? cur[seg] : Array.isArray(cur) ? cur[Number(seg)] : undefined;
  }
  return deref(doc, cur, depth + 1);
}

export function loadSpec(file: string): SpecInfo {
  const text = readFileSync(file, "utf8");
  const doc = (file.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as Obj;
  let basePath = "";
  const servers = Array.isArray(doc.servers) ? doc.servers : [];
  const first = servers[0];
  if (isObj(first) && typeof first.url === "string") {
    try {
      basePath = new URL(first.url, "http://localhost").pathname.replace(/\/+$/, "");
    } catch {
      basePath = "";
    }
  }
  const paths = new Map<string, Map<string, OperationInfo>>();
  const docPaths = isObj(doc.paths) ? doc.paths : {};
  for (const [p, rawItem] of Object.entries(docPaths)) {
    const item = deref(doc, rawItem);
    if (!isObj(item)) continue;
    const methods = new Map<string, OperationInfo>();
    for (const m of METHODS) {
      const op = item[m];
      if (!isObj(op)) continue;
      const responses = isObj(op.responses) ? op.responses : {};
      const ok = deref(doc, responses["200"]);
      const content = isObj(ok) && isObj(ok.content) ? ok.content : {};
      const keys = (mt: string) => {
        const media = content[mt];
        return isObj(media) && isObj(media.examples) ? Object.keys(media.examples) : [];
      };
      const rb = deref(doc, op.requestBody);
      const rbContent = isObj(rb) && isObj(rb.content) ? rb.content : {};
      const rbJson = rbContent["application/json"];
      methods.set(m, {
        ...(isObj(rbJson) && rbJson.schema !== undefined ? { requestSchema: rbJson.schema } : {}),
        operationId: typeof op.operationId === "string" ? op.operationId : `${m} ${p}`,
        method: m,
        statuses: Object.keys(responses),
        sseExamples: keys("text/event-stream"),
        jsonExamples: keys("application/json"),
      });
    }
    paths.set(p, methods);
  }
  return { basePath, paths, doc };
}

/** Every schema that can apply at `pointer` (walking properties/items/additionalProperties and all of/one of/any of branches). */
function schemasAt(doc: Obj, root: unknown, pointer: string): Obj[] {
  const expand = (nodes: unknown[]): Obj[] => {
    const out: Obj[] = [];
    const seen = new Set<unknown>();
    const visit = (n: unknown, depth: number) => {
      const s = deref(doc, n);
      if (!isObj(s) || seen.has(s) || depth > 12) return;
      seen.add(s);
      out.push(s);
      for (const k of ["allOf", "oneOf", "anyOf"]) {
        const list = s[k];
        if (Array.isArray(list)) for (const b of list) visit(b, depth + 1);
      }
    };
    for (const n of nodes) visit(n, 0);
    return out;
  };
  let current = expand([root]);
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map((x) => x.replace(/~1/g, "/").replace(/~0/g, "~"));
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const s of current) {
      const props = isObj(s.properties) ? s.properties : undefined;
      if (props && seg in props) next.push(props[seg]);
      else if (isObj(s.additionalProperties)) next.push(s.additionalProperties);
      if (/^\d+$/.test(seg)) {
        const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : undefined;
        if (prefix && Number(seg) < prefix.length) next.push(prefix[Number(seg)]);
        else if (isObj(s.items)) next.push(s.items);
      }
    }
    current = expand(next);
    if (current.length === 0) break;
  }
  return current;
}

/** The `const`/`enum` values any schema at `pointer` allows (deduplicated, spec order); [] when none or unknown. */
export function allowedValues(doc: Obj, root: unknown, pointer: string): unknown[] {
  const values: unknown[] = [];
  const seen = new Set<string>();
  const add = (v: unknown) => {
    const k = JSON.stringify(v);
    if (!seen.has(k)) {
      seen.add(k);
      values.push(v);
    }
  };
  for (const s of schemasAt(doc, root, pointer)) {
    if ("const" in s) add(s.const);
    if (Array.isArray(s.enum)) s.enum.forEach(add);
  }
  return values;
}
