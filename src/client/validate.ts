/**
 * Optional request/response validation hook. The client only defines the interface; the implementation
 * (Ajv over the bundled spec) lives in `openrouter-contract/conformance` as `createClientValidator()`, so Ajv
 * never enters the client bundle. Enable with `createOpenRouterClient({ validate: "warn" | "strict", validator })`.
 */
import type { Violation } from "../conformance/types";

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
