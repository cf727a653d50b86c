// The tests' one way into a spec: the document under test, `$ref` resolution and schema validators, all through
// src/spec and the conformance library's Ajv setup (no resolver or Ajv options of the tests' own).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ValidateFunction } from "ajv";
import { parse as parseYaml } from "yaml";
import { createAjv, schemaRef } from "../../src/conformance/validator";
import { bundledSpec } from "../../src/spec/bundle";
import { resolveRef } from "../../src/spec/ref";

type Obj = Record<string, any>;

export const root = resolve(import.meta.dirname, "../..");
/** The spec the mock serves: MOCK_SPEC (same env as the globalSetup) or the bundle. */
export const specFile = process.env.MOCK_SPEC
  ? resolve(process.env.MOCK_SPEC)
  : resolve(root, "generated/openapi.json");

/** Parsed spec under test (the bundle as the library loads it, unless MOCK_SPEC names another file). */
export const doc: Obj = !process.env.MOCK_SPEC
  ? bundledSpec
  : specFile.endsWith(".json")
    ? JSON.parse(readFileSync(specFile, "utf8"))
    : parseYaml(readFileSync(specFile, "utf8"));

/** `node` with its local `$ref`s followed inside `within` (default: the spec under test); a dangling ref throws. */
export function deref(node: any, within: unknown = doc): any {
  const r = resolveRef(within, node);
  if (r.ref !== undefined && r.node === undefined) throw new Error(`unresolved ${r.ref}`);
  return r.node;
}

const SPEC_ID = "https://tests.invalid/openapi.json";

export interface SchemaValidators {
  /** Validator for a pointer into the document, e.g. `#/components/schemas/ChatCompletion`. */
  at(pointer: string): ValidateFunction;
  /** Validator for a schema node of the document (`{$ref: "#/components/..."}` or inline). */
  of(schema: any): ValidateFunction;
}

const byDoc = new WeakMap<object, SchemaValidators>();

/**
 * Validators over a whole document, compiled once per pointer. Raw documents keep `discriminator.mapping`, which
 * Ajv's discriminator support rejects, so the union branches decide on their own (what the `const` tags are for).
 */
export function schemaValidators(within: Obj = doc): SchemaValidators {
  const hit = byDoc.get(within);
  if (hit) return hit;
  const ajv = createAjv({ discriminator: false });
  ajv.addSchema({ ...within, $id: SPEC_ID });
  const cache = new Map<string, ValidateFunction>();
  let inline = 0;
  const v: SchemaValidators = {
    at(pointer) {
      let fn = cache.get(pointer);
      if (!fn) cache.set(pointer, (fn = ajv.compile(schemaRef(SPEC_ID, pointer))));
      return fn;
    },
    of(schema) {
      if (schema && typeof schema.$ref === "string" && schema.$ref.startsWith("#/")) return v.at(schema.$ref);
      const own = { ...schema, $id: `${SPEC_ID}/inline-${++inline}`, components: within.components };
      return ajv.compile({ ...own, $defs: undefined, $schema: undefined });
    },
  };
  byDoc.set(within, v);
  return v;
}
