// Reads what the layer needs from the bundled spec: paths, methods, statuses, SSE example keys, base path.
// Nothing here hard-codes schema or example names: everything comes from the bundle.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { indexOperations } from "../src/spec/operations";
import { getAt, unescapeToken } from "../src/spec/pointer";
import { resolveRef } from "../src/spec/ref";
import { firstServerBasePath } from "../src/spec/url";

export interface OperationInfo {
  operationId: string;
  method: string;
  /** Declared response statuses, e.g. ["200", "400", ...]. */
  statuses: string[];
  /** Example keys of the 200 `text/event-stream` media type, in spec order (first = default stream scenario). */
  sseExamples: string[];
  /** Example keys of the 200 `application/json` media type. */
  jsonExamples: string[];
  /** Example keys of every response: status -> media type -> keys, in spec order (what `Prefer: example=` picks). */
  examples: Record<string, Record<string, string[]>>;
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

type Obj = Record<string, unknown>;
/** A JSON object (not an array, not null). */
export const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const deref = (doc: Obj, node: unknown): unknown => resolveRef(doc, node).node;

/** The bundle in the two forms `npm run generate` writes: the mock reads it as JSON, as the library does. */
const BUNDLE_YAML = fileURLToPath(new URL("../generated/openapi.yaml", import.meta.url));
const BUNDLE_JSON = fileURLToPath(new URL("../generated/openapi.json", import.meta.url));

/** Parse a spec file: the bundle through its JSON form; another spec (MOCK_SPEC) as the YAML or JSON it is. */
function readSpec(file: string): Obj {
  const source = resolve(file) === BUNDLE_YAML ? BUNDLE_JSON : file;
  const text = readFileSync(source, "utf8");
  return (source.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as Obj;
}

/** What the layer needs from a spec file; resolving `$ref`s and walking operations go through src/spec. */
export function loadSpec(file: string): SpecInfo {
  const doc = readSpec(file);
  const operations = indexOperations(doc);
  const paths = new Map<string, Map<string, OperationInfo>>();
  const docPaths = isObj(doc.paths) ? doc.paths : {};
  for (const [p, rawItem] of Object.entries(docPaths)) {
    if (!isObj(deref(doc, rawItem))) continue;
    const methods = new Map<string, OperationInfo>();
    for (const o of operations.filter((x) => x.path === p)) {
      const ok = o.responses.find((r) => r.status === "200");
      const okObj = ok ? getAt(doc, ok.pointer) : undefined;
      const content = isObj(okObj) && isObj(okObj.content) ? okObj.content : {};
      const keys = (mt: string) => {
        const media = content[mt];
        return isObj(media) && isObj(media.examples) ? Object.keys(media.examples) : [];
      };
      const examples: Record<string, Record<string, string[]>> = {};
      for (const r of o.responses) {
        const resp = deref(doc, getAt(doc, r.pointer));
        const media = isObj(resp) && isObj(resp.content) ? resp.content : {};
        examples[r.status] = Object.fromEntries(
          Object.entries(media).map(([mt, m]) => [mt, isObj(m) && isObj(m.examples) ? Object.keys(m.examples) : []]),
        );
      }
      const json = o.request?.content.find((m) => m.mediaType === "application/json");
      const requestSchema = json?.schemaPointer ? getAt(doc, json.schemaPointer) : undefined;
      methods.set(o.method, {
        ...(requestSchema !== undefined ? { requestSchema } : {}),
        operationId: o.operationId ?? `${o.method} ${p}`,
        method: o.method,
        statuses: o.responses.map((r) => r.status),
        sseExamples: keys("text/event-stream"),
        jsonExamples: keys("application/json"),
        examples,
      });
    }
    paths.set(p, methods);
  }
  return { basePath: firstServerBasePath(doc), paths, doc };
}

/**
 * Every schema that can apply at `pointer` (walking properties/items/additionalProperties and all of/one of/any of
 * branches).
 */
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
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map(unescapeToken);
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
