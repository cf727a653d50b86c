// Explains why Prism rejected a request body, one violation per real problem.
//
// Prism (the validator) reports every failing branch of every oneOf: a `{"role": "user"}` message with a bad
// content part yields "/messages/0/role must be equal to constant" (from the other roles' branches) next to the real
// error, and past ~8 KB it truncates its `sl-violations` header ("Too many violations! [..."). So once Prism has
// said "invalid", the layer re-validates the body with the conformance library (Ajv 2020 over the same bundle), which
// narrows each failing oneOf/anyOf to the branch the value was meant for, and hands the result on in Prism's shape.
// When this yields nothing, Prism's own list is used. Prism still decides validity, status and response.
import { loadContract, validateRequest } from "./index";
import { unescapeToken } from "../spec/pointer";

export interface PrismLikeViolation {
  location: string[];
  severity: "Error";
  code: string;
  message: string;
}

/**
 * `maxViolations`: violations explained per body (default: the library's, 100); past it one `violations_capped` entry
 * counts the rest.
 */
export function createExplainer(doc: Record<string, unknown>, maxViolations?: number) {
  const contract = loadContract(doc, maxViolations === undefined ? {} : { maxViolations });
  /** Violations of `body` against the operation's request schema, in Prism's shape; undefined when unavailable. */
  return function explain(path: string, method: string, body: unknown): PrismLikeViolation[] | undefined {
    try {
      return validateRequest(`${method.toUpperCase()} ${path}`, body, { contract })
        .filter((v) => v.severity === "error")
        .map((v): PrismLikeViolation => {
          if (v.check === "violations_capped") {
            return { location: ["request", "body"], severity: "Error", code: "violations_capped", message: v.message };
          }
          const keyword = unescapeToken(v.schemaPath.slice(v.schemaPath.lastIndexOf("/") + 1));
          // The library points at a missing or unknown property itself and says "<pointer> <what is wrong>".
          const required = v.expected === "present";
          const unknown = keyword === "additionalProperties" || keyword === "unevaluatedProperties";
          const message = unknown
            ? "is not allowed (unknown property)"
            : required && v.message === "is required but missing"
              ? "is required"
              : v.message;
          return { location: ["request", "body", ...v.instancePath.split("/").slice(1)], severity: "Error", code: required ? "required" : unknown ? "additionalProperties" : keyword, message };
        });
    } catch {
      return undefined;
    }
  };
}
