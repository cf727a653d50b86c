// Small Ajv (JSON Schema 2020-12) helper shared by the contract tests.
// The bundled spec is registered once under a fake $id; component schemas are then addressed by JSON pointer,
// e.g. validator("CreateChatCompletionRequest"). OpenAPI's `discriminator` is left to Ajv's default
// (`discriminator: false`): with `strict: false` it is ignored and the oneOf branches decide on their own,
// which is what the `const` on every branch's tag is for.
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import spec from "../../generated/openapi.json" with { type: "json" };

export const SPEC_ID = "https://contract.invalid/openapi.json";

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, allowUnionTypes: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: spec.components });
  return ajv;
}

let shared: Ajv2020 | undefined;
const cache = new Map<string, ValidateFunction>();

/** Compiled validator for `#/components/<section>/<name>` (default section: schemas). */
export function validator(name: string, section = "schemas"): ValidateFunction {
  const ref = `${SPEC_ID}#/components/${section}/${name}`;
  let fn = cache.get(ref);
  if (!fn) {
    shared ??= createAjv();
    fn = shared.compile({ $ref: ref });
    cache.set(ref, fn);
  }
  return fn;
}

export interface Result {
  valid: boolean;
  errors: ErrorObject[];
}

/** Validate `data` against the named component schema. */
export function validate(name: string, data: unknown): Result {
  const fn = validator(name);
  const valid = fn(data) as boolean;
  return { valid, errors: valid ? [] : [...(fn.errors ?? [])] };
}

/** Distinct instance paths (JSON pointers) of the errors, sorted. */
export function pointers(errors: ErrorObject[]): string[] {
  return [...new Set(errors.map((e) => e.instancePath))].sort();
}

/** One line per error, for readable assertion failures. */
export function describeErrors(errors: ErrorObject[]): string {
  return errors.map((e) => `${e.instancePath || "/"} ${e.keyword} ${e.message ?? ""}`).join("\n");
}
