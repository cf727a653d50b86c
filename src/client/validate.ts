/**
 * Optional request/response validation hook. The client only defines the interface; the implementation
 * (Ajv over the bundled spec) lives in `openrouter-contract/conformance` as `createClientValidator()`, so Ajv
 * never enters the client bundle. Enable with `createOpenRouterClient({ validate: "warn" | "strict", validator })`.
 */
import type { Violation } from "../conformance/types";
import { ValidationError } from "./errors/classes";

/** The part of a conformance finding the client acts on (type-only: the client bundle stays validator-free). */
export type ClientViolation = Pick<Violation, "check" | "severity" | "instancePath" | "message">;

export interface ClientValidator {
  validateRequest(operationId: string, body: unknown): ClientViolation[];
  validateResponse(operationId: string, status: number, contentType: string, body: unknown): ClientViolation[];
  validateChunk(operationId: string, chunk: unknown): ClientViolation[];
}

/**
 * `off` (default): no validation. `warn`: violations go to `onViolation` (default `console.warn`).
 * `strict`: a violation with severity `error` throws `ValidationError`; others go to `onViolation`.
 */
export type ValidateMode = "off" | "warn" | "strict";

/** Where a violation was found: "request", "response" or "chunk". */
export type ViolationSite = "request" | "response" | "chunk";

/** Receives the violations the client does not throw for. */
export type OnViolation = (violations: ClientViolation[], site: ViolationSite, operationId: string) => void;

/** The client's validation calls, one per site; each reports what the validator found as the mode says. */
export interface Checks {
  request(operationId: string, body: unknown): void;
  /** `body` is undefined for a stream (its chunks are checked one by one). */
  response(operationId: string, res: Response, body: unknown): void;
  chunk(operationId: string, chunk: unknown): void;
}

/**
 * The checks for a mode, or undefined when validation is off (mode "off" or no validator). In "strict" mode,
 * violations of severity `error` throw `ValidationError`; all others go to `onViolation` (default `console.warn`).
 */
export function createChecks(
  mode: ValidateMode,
  validator: ClientValidator | undefined,
  onViolation: OnViolation | undefined,
): Checks | undefined {
  if (mode === "off" || !validator) return undefined;
  const report = (site: ViolationSite, opId: string, violations: ClientViolation[]) => {
    if (!violations.length) return;
    if (mode === "strict") {
      const errs = violations.filter((v) => v.severity === "error");
      if (errs.length) {
        const list = errs.map((v) => `${v.instancePath} ${v.message}`).join("; ");
        throw new ValidationError(`${opId} ${site}: ${list}`, violations);
      }
    }
    (onViolation ?? ((v, s, o) => console.warn(o, s, v)))(violations, site, opId);
  };
  return {
    request: (opId, body) => report("request", opId, validator.validateRequest(opId, body)),
    response: (opId, res, body) => {
      const type = res.headers.get("content-type") ?? "";
      report("response", opId, validator.validateResponse(opId, res.status, type, body));
    },
    chunk: (opId, chunk) => report("chunk", opId, validator.validateChunk(opId, chunk)),
  };
}
