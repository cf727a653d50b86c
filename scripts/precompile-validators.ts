// generated/validators.js: the bundle's fail-fast validators as Ajv standalone code, so that neither the CLI nor the
// library compiles the spec before a valid payload is accepted (src/conformance/precompiled.ts loads them). They are
// built by the library's own Ajv setup (createAjv, validationCopies) from the bundle as written, so they give the
// same verdicts as the validators compiled at run time; a payload that fails is explained by those.
import { createHash } from "node:crypto";
import { _ } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { transformSync } from "esbuild";
import { closeObjects } from "../src/conformance/closed";
import {
  createAjv,
  limitLoops,
  linearErrors,
  pointerIndex,
  SCHEMA_IDS,
  schemaRef,
  validationCopies,
} from "../src/conformance/validator";
import { escapeToken, getAt, isJsonObject } from "../src/spec/pointer";
import { mapSubschemas } from "../src/spec/schema-shapes";
import { indexOperations } from "../src/spec/operations";
import { shortCircuitUnions } from "../src/conformance/verdict-copy";
import { positionalContext } from "./positional-context";
import { checkRefChains } from "../src/spec/ref";

type Json = Record<string, unknown>;

/** Every schema pointer the checks validate against, and whether its closed copy is used too (bodies, chunks). */
function schemaPointers(spec: Json): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const add = (p: string | undefined, closed: boolean) => {
    if (p) out.set(p, closed || (out.get(p) ?? false));
  };
  for (const op of indexOperations(spec)) {
    for (const p of op.parameters) add(p.schemaPointer, false);
    for (const m of op.request?.content ?? []) add(m.schemaPointer, false);
    for (const r of op.responses) {
      for (const h of r.headers) add(h.schemaPointer, false);
      for (const m of r.content) {
        add(m.schemaPointer, m.kind === "json");
        add(m.chunkPointer, true);
      }
    }
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const HEADER = `// Written by \`npm run generate\` (scripts/precompile-validators.ts) from generated/openapi.json.
// Do not edit.
// Ajv standalone code of the fail-fast validators (verdicts only); loaded by src/conformance/precompiled.ts.
`;

/** The declarations beside it (generated/validators.d.ts). */
export const VALIDATORS_DTS = `${HEADER}export declare function createValidators(rt: {
  formats: Record<string, unknown>;
  ucs2length: (s: string) => number;
  equal: (a: unknown, b: unknown) => boolean;
}): Record<string, ((data: unknown) => boolean) | undefined>;
/** SHA-256 (hex) of the spec they were compiled from, as JSON (as generated/explainers.cjs records it). */
export declare const specSha: string;
`;

/** SHA-256 (hex) of the spec as JSON: generated/explainers.cjs is matched to the spec it was built from by it. */
const specSha = (spec: Json) => createHash("sha256").update(JSON.stringify(spec)).digest("hex");

/**
 * Ajv's standalone code declares each validator's schema (`const schema12 = {...};`) though a verdict-only validator
 * reads few of them: drop the declarations nothing refers to (less to parse and allocate at start).
 */
function dropUnusedSchemas(code: string): string {
  const uses = new Map<string, number>();
  for (const m of code.matchAll(/\bschema\d+\b/g)) uses.set(m[0], (uses.get(m[0]) ?? 0) + 1);
  let out = "";
  let at = 0;
  for (const m of code.matchAll(/const (schema\d+) = /g)) {
    if (m.index < at || uses.get(m[1]!) !== 1) continue;
    const end = jsonEnd(code, m.index + m[0].length);
    if (code[end] !== ";") throw new Error(`unexpected standalone code after ${m[1]}`);
    out += code.slice(at, m.index);
    at = end + 1;
  }
  return out + code.slice(at);
}

/** Index just past the JSON value (as JSON.stringify writes it) that starts at `i`. */
function jsonEnd(code: string, i: number): number {
  let depth = 0;
  for (let j = i; j < code.length; j++) {
    const c = code[j];
    if (c === '"') {
      for (j++; code[j] !== '"'; j++) if (code[j] === "\\") j++;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    if (depth === 0 && (c === '"' || c === "}" || c === "]" || /[\d\w.-]/.test(c!))) {
      if (c === "}" || c === "]" || c === '"') return j + 1;
      let k = j;
      while (/[\w.+-]/.test(code[k]!)) k++;
      return k;
    }
  }
  throw new Error("unterminated JSON in standalone code");
}

/** The module text: `createValidators(rt)` returns the validators by `open:<pointer>` / `closed:<pointer>`. */
export function precompiledValidators(spec: Json): string {
  checkRefChains(spec);
  const { open, closed } = validationCopies(spec);
  const ajv = createAjv({ allErrors: false, formats: true, standalone: { formats: _`rt.formats` } });
  ajv.opts.inlineRefs = false;
  ajv.addSchema({ ...open, $id: SCHEMA_IDS.open });
  // The closed verdicts decide every valid chunk of a checked stream: compiled from the copy that stops at the first
  // passing anyOf branch (same verdicts; see verdict-copy.ts).
  ajv.addSchema({ ...shortCircuitUnions(closed), $id: SCHEMA_IDS.closed });
  const refs: Record<string, string> = {};
  for (const [p, withClosed] of schemaPointers(spec)) {
    refs[`open:${p}`] = schemaRef(SCHEMA_IDS.open, p).$ref;
    if (withClosed) refs[`closed:${p}`] = schemaRef(SCHEMA_IDS.closed, p).$ref;
  }
  // The spec's SHA-256 too: the CLI matches explainers.cjs to its bundled spec without hashing 290 KB of JSON.
  const sha = `export const specSha = ${JSON.stringify(specSha(spec))};\n`;
  let body: string;
  try {
    for (const ref of Object.values(refs)) ajv.getSchema(ref);
    body = standaloneCode(ajv, refs);
  } catch (err) {
    // Discriminators Ajv cannot use: the run-time store falls back to plain oneOf for the whole spec, in an order
    // that depends on use. Precompiling nothing keeps its verdicts exactly as they were.
    if (/discriminator/i.test(String(err)))
      return `${HEADER}export function createValidators() {\n  return {};\n}\n${sha}`;
    throw err;
  }
  // Verdicts only: the pointer a nested call would put in its errors is never read, so it is not built either.
  body = positionalContext(
    dropUnusedSchemas(body).replace(/instancePath:instancePath\+[^;{}]*?,parentData:/g, "instancePath,parentData:"),
  )
    .replace(/^"use strict";\n?/, "")
    .replace(/require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g, "rt.$1");
  if (/\brequire\(/.test(body)) throw new Error(`precompiled validators need a module rt does not give: ${body}`);
  // Minified (pinned esbuild, so the output is reproducible): about a third less for every start-up to parse.
  const module = `export function createValidators(rt) {\nconst exports = {};\n${body}\nreturn exports;\n}\n${sha}`;
  return HEADER + transformSync(module, { minify: true, format: "esm", target: "es2022" }).code;
}

/**
 * The pointer of every `oneOf`/`anyOf` branch reachable from `roots` (through subschemas and local `$ref`s): union
 * narrowing validates a value against each branch of a failing union on its own (src/conformance/unions.ts).
 */
function unionBranches(doc: Json, roots: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (p: string) => {
    if (seen.has(p)) return;
    seen.add(p);
    const node = getAt(doc, p);
    if (!isJsonObject(node)) return;
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/")) visit(node.$ref.slice(1));
    for (const [k, x] of Object.entries(node)) {
      mapSubschemas(k, x, `${p}/${escapeToken(k)}`, (branch, at) => {
        if (k === "oneOf" || k === "anyOf") out.push(`#${at}`);
        visit(at);
        return branch;
      });
    }
  };
  for (const r of roots) visit(r.replace(/^#/, ""));
  return out;
}

/** The standalone code of one copy's explaining validators, its schemas read from the run-time copy (rt.schema). */
function explainingCode(copy: Json, kind: "open" | "closed", pointers: string[]): string {
  const ajv = createAjv({ allErrors: true, formats: true, standalone: { formats: _`rt.formats`, explain: true } });
  const id = SCHEMA_IDS[kind];
  ajv.addSchema({ ...copy, $id: id });
  const refs: Record<string, string> = {};
  for (const p of pointers) refs[`${kind}:${p}`] = schemaRef(id, p).$ref;
  for (const ref of Object.values(refs)) ajv.getSchema(ref);
  // Errors carry `parentSchema`, whose identity gives a finding its spec pointer: each schema the code refers to is
  // the run-time copy's own object at the same pointer, not a literal copy of it.
  const index = pointerIndex(copy);
  const names = (ajv.scope as unknown as { _values: { schema?: Map<object, { value: { code: unknown } }> } })._values;
  for (const [schema, name] of names.schema ?? []) {
    const at = index.get(schema);
    if (at === undefined) {
      name.value.code = _`rt.root`;
      continue;
    }
    name.value.code = _`rt.schema(${kind}, ${at})`;
  }
  // Context passed positionally, as in the verdicts: no object per `$ref` followed (explainers.cjs -53 KB).
  let body = positionalContext(linearErrors(standaloneCode(ajv, refs))).replace(/^"use strict";\n?/, "");
  // The open validators stop walking after the contract's error limit, as the run-time ones do (limitLoops).
  if (kind === "open") body = limitLoops(body, "rt.errorLimit", "rt.state.limitHit");
  body = body.replace(/require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g, "rt.$1");
  if (/\brequire\(/.test(body)) throw new Error(`explaining validators need a module rt does not give: ${body}`);
  return `{\n${body}\n}`;
}

/**
 * generated/explainers.cjs: the explaining validators (every error, verbose, messages) of the open and closed copies
 * for every schema the checks use and every union branch they reach, so that explaining a failing payload compiles
 * nothing. A CommonJS module the CLI `require`s on its first explanation (src/conformance/ajv-modules.node.ts): 1.5 MB
 * that no command pays for at start, and that the browser-safe library does not carry (it compiles at run time).
 */
export function precompiledExplainers(spec: Json): string {
  checkRefChains(spec);
  const { open, closed } = validationCopies(spec);
  const roots = schemaPointers(spec);
  const closedRoots = [...roots].filter(([, c]) => c).map(([p]) => p);
  const branches = unionBranches(open, [...roots.keys()]);
  const openPointers = [...new Set([...roots.keys(), ...branches])];
  const known = [...closeObjects(open).known].map((p) => `#${p}`);
  const closedPointers = [...new Set([...closedRoots, ...unionBranches(closed, closedRoots), ...known])];
  let open_ = "";
  let closed_ = "";
  try {
    open_ = explainingCode(open, "open", openPointers);
    closed_ = explainingCode(closed, "closed", closedPointers);
  } catch (err) {
    if (!/discriminator/i.test(String(err))) throw err;
    open_ = closed_ = ""; // the run-time store falls back to plain oneOf: nothing precompiled, as for the verdicts
  }
  // One factory per copy: a run that explains only schema errors never prepares the closed copy. They are used only
  // for the spec they were built from (the same JSON text as the bundle the CLI loads).
  const sha = specSha(spec);
  const factory = (code: string) => `function (rt) {\nconst exports = {};\n${code}\nreturn exports;\n}`;
  const exported = `spec: ${JSON.stringify(sha)},\nopen: ${factory(open_)},\nclosed: ${factory(closed_)},`;
  const module = `module.exports = {\n${exported}\n};`;
  return EXPLAINERS_HEADER + transformSync(module, { minify: true, target: "es2022" }).code;
}

const EXPLAINERS_HEADER = HEADER.replace(
  "the fail-fast validators (verdicts only); loaded by src/conformance/precompiled.ts",
  "the explaining validators (every error); the CLI loads it (ajv-modules.node.ts)",
);

/** The declarations beside it (generated/explainers.d.cts). */
export const EXPLAINERS_DTS = `${EXPLAINERS_HEADER}type Factory = (rt: {
  formats: Record<string, unknown>;
  ucs2length: (s: string) => number;
  equal: (a: unknown, b: unknown) => boolean;
  schema: (copy: "open" | "closed", pointer: string) => unknown;
  errorLimit: number;
  state: { limitHit: boolean };
}) => Record<string, ((data: unknown) => boolean) | undefined>;
/** SHA-256 (hex) of the spec they were compiled from, as JSON. */
export declare const spec: string;
/** The open copy's explaining validators, by \`open:<pointer>\`. */
export declare const open: Factory;
/** The closed copy's, by \`closed:<pointer>\`. */
export declare const closed: Factory;
`;
