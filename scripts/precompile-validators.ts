// generated/validators.js: the bundle's fail-fast validators as Ajv standalone code, so that neither the CLI nor the
// library compiles the spec before a valid payload is accepted (src/conformance/precompiled.ts loads them). They are
// built by the library's own Ajv setup (createAjv, validationCopies) from the bundle as written, so they give the
// same verdicts as the validators compiled at run time; a payload that fails is explained by those.
import { _ } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { createAjv, SCHEMA_IDS, schemaRef, validationCopies } from "../src/conformance/validator";
import { indexOperations } from "../src/spec/operations";
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

const HEADER = `// Written by \`npm run generate\` (scripts/precompile-validators.ts) from generated/openapi.json: do not edit.
// Ajv standalone code of the fail-fast validators (verdicts only); loaded by src/conformance/precompiled.ts.
`;

/** The declarations beside it (generated/validators.d.ts). */
export const VALIDATORS_DTS = `${HEADER}export declare function createValidators(rt: {
  formats: Record<string, unknown>;
  ucs2length: (s: string) => number;
  equal: (a: unknown, b: unknown) => boolean;
}): Record<string, ((data: unknown) => boolean) | undefined>;
`;

/** The module text: `createValidators(rt)` returns the validators by `open:<pointer>` / `closed:<pointer>`. */
export function precompiledValidators(spec: Json): string {
  checkRefChains(spec);
  const { open, closed } = validationCopies(spec);
  const ajv = createAjv({ allErrors: false, formats: true, standalone: { formats: _`rt.formats` } });
  ajv.opts.inlineRefs = false;
  ajv.addSchema({ ...open, $id: SCHEMA_IDS.open });
  ajv.addSchema({ ...closed, $id: SCHEMA_IDS.closed });
  const refs: Record<string, string> = {};
  for (const [p, withClosed] of schemaPointers(spec)) {
    refs[`open:${p}`] = schemaRef(SCHEMA_IDS.open, p).$ref;
    if (withClosed) refs[`closed:${p}`] = schemaRef(SCHEMA_IDS.closed, p).$ref;
  }
  let body: string;
  try {
    for (const ref of Object.values(refs)) ajv.getSchema(ref);
    body = standaloneCode(ajv, refs);
  } catch (err) {
    // Discriminators Ajv cannot use: the run-time store falls back to plain oneOf for the whole spec, in an order
    // that depends on use. Precompiling nothing keeps its verdicts exactly as they were.
    if (/discriminator/i.test(String(err))) return `${HEADER}export function createValidators() {\n  return {};\n}\n`;
    throw err;
  }
  body = body.replace(/^"use strict";\n?/, "").replace(/require\("ajv\/dist\/runtime\/(\w+)"\)\.default/g, "rt.$1");
  if (/\brequire\(/.test(body)) throw new Error(`precompiled validators need a module rt does not give: ${body}`);
  const indented = body.replace(/^(?=.)/gm, "  ");
  return `${HEADER}export function createValidators(rt) {\n  const exports = {};\n${indented}\n  return exports;\n}\n`;
}
