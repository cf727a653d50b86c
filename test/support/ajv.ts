// Validation of values against the bundle's component schemas for the spec tests, through the shared validators
// (test/support/spec.ts, the conformance library's Ajv setup), e.g. validator("CreateChatCompletionRequest").
import type { ErrorObject, ValidateFunction } from "ajv";
import { bundledSpec } from "../../src/spec/bundle";
import { toPointer } from "../../src/spec/pointer";
import { schemaValidators } from "./spec";

/** Compiled validator for `#/components/<section>/<name>` (default section: schemas). */
export function validator(name: string, section = "schemas"): ValidateFunction {
  return schemaValidators(bundledSpec).at(`#${toPointer(["components", section, name])}`);
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
