/**
 * openrouter-contract/conformance — validate requests, JSON responses and SSE streams against the OpenAPI contract.
 * Browser-safe: no node: imports in this module graph. Importing does no work; validators compile lazily on first use.
 */
import { bundledSpec as bundled } from "../spec/bundle";
import {
  baseMediaType,
  findMedia,
  findResponse,
  streamMediaOf,
  type MediaSpec,
  type OperationSpec,
} from "../spec/operations";
import type { ClientValidator, ClientViolation } from "../client/validate";
import {
  checkExchange as checkExchangeWith,
  requestViolations,
  responseViolations,
  type ExchangeResult,
} from "./check";
import { Contract, type LoadOptions } from "./contract";
import { checkEventStream, StreamChecker, type StreamCheckOptions } from "./sse";
import type { CheckOptions, ExchangeRecord, Violation } from "./types";
import { dedupe } from "./violations";

export type { CheckOptions, ExchangeRecord, Mode, Severity, Violation } from "./types";
export type { ExchangeResult } from "./check";
export type { HeaderSpec, MediaSpec, OperationSpec, ResponseSpec } from "../spec/operations";
export type { LoadOptions } from "./contract";
export { MAX_REF_CHAIN } from "../spec/ref";
export { ERROR_LIMIT } from "./validator";
export { MAX_VIOLATIONS } from "./violations";
export type { StreamCheckOptions } from "./sse";
export { Contract, StreamChecker };
export { SSE_CHECKS } from "./sse";
export { createRecorder, type RecorderOptions } from "./record";
export { isSecretName, redactHeaders, redactText, redactUrl, secretHeaderValues, type RedactOptions } from "./record";
export { MIN_SECRET_CHARS, REDACTED, SECRET_NAME } from "./record";
export {
  diffSpecs,
  formatDiffText,
  parseAllowList,
  type Change,
  type DiffResult,
  type DiffOptions,
  type AllowEntry,
} from "./diff";
export { parseExchangeLine, harToExchanges, type LineResult } from "./exchange";
export { Report, type ReportViolation, type ReportSummary } from "./report";

let defaultContract: Contract | undefined;

/**
 * Load a contract. Without arguments: the spec bundled in this package (cached). With a parsed OpenAPI 3.1 document:
 * a new Contract. Validators compile lazily, once per schema.
 */
export function loadContract(spec?: unknown, opts?: LoadOptions): Contract {
  if (spec === undefined && opts === undefined) return (defaultContract ??= new Contract(bundled));
  return new Contract(spec ?? bundled, opts);
}

export interface ContractOption {
  /** Contract to use (default: the bundled spec). */
  contract?: Contract;
}

function resolveOp(contract: Contract, operation: string | OperationSpec): OperationSpec {
  const op = contract.operation(operation);
  if (!op) {
    const name = JSON.stringify(typeof operation === "string" ? operation : operation.operationId);
    const known = contract.operations.map((o) => o.operationId ?? o.path).join(", ");
    throw new Error(`unknown operation ${name} (known: ${known})`);
  }
  return op;
}

/** Validate a request body. `operation` = operationId, path (`/chat/completions`) or `"POST /chat/completions"`. */
export function validateRequest(operation: string, body: unknown, opts: ContractOption = {}): Violation[] {
  const c = opts.contract ?? loadContract();
  return dedupe(requestViolations(c, resolveOp(c, operation), body));
}

/**
 * Validate a response. JSON bodies are validated against the documented schema for the status/content type;
 * a `text/event-stream` body (string) is routed to the stream checks.
 */
export function validateResponse(
  operation: string,
  status: number,
  contentType: string,
  body: unknown,
  opts: CheckOptions & ContractOption = {},
): Violation[] {
  const c = opts.contract ?? loadContract();
  const op = resolveOp(c, operation);
  if (baseMediaType(contentType) === "text/event-stream" && typeof body === "string") {
    const media = findResponse(op, status) && findMedia(findResponse(op, status)!.content, contentType);
    if (media) return checkEventStream(c, media, body, { mode: opts.mode });
  }
  return dedupe(responseViolations(c, op, status, contentType, body, opts));
}

function streamMedia(op: OperationSpec): MediaSpec {
  const media = streamMediaOf(op);
  if (media) return media;
  throw new Error(`operation ${op.operationId ?? op.path} documents no text/event-stream success response`);
}

/** Run the SSE checks on a whole stream body (string) or on a live byte stream. */
export function checkStream(operation: string, input: string, opts?: StreamCheckOptions & ContractOption): Violation[];
export function checkStream(
  operation: string,
  input: ReadableStream<Uint8Array>,
  opts?: StreamCheckOptions & ContractOption,
): Promise<Violation[]>;
export function checkStream(
  operation: string,
  input: string | ReadableStream<Uint8Array>,
  opts: StreamCheckOptions & ContractOption = {},
): Violation[] | Promise<Violation[]> {
  const c = opts.contract ?? loadContract();
  const media = streamMedia(resolveOp(c, operation));
  return checkEventStream(c, media, input, opts);
}

/** Check one exchange record (request + response, SSE included). */
export function checkExchange(record: ExchangeRecord, opts: CheckOptions & ContractOption = {}): ExchangeResult {
  return checkExchangeWith(opts.contract ?? loadContract(), record, opts);
}

// The hook the client calls (defined beside the client, type-only here: no runtime coupling).
export type { ClientValidator, ClientViolation } from "../client/validate";

export interface ClientValidatorOptions extends CheckOptions, ContractOption {
  /** Drop `info` findings (default true): the client only acts on warnings and errors. */
  dropInfo?: boolean;
}

/** Validator for the client's `validate: "warn" | "strict"` option. Compiles lazily; cheap to create. */
export function createClientValidator(opts: ClientValidatorOptions = {}): ClientValidator & { contract(): Contract } {
  const contract = () => opts.contract ?? loadContract();
  const keep = (vs: Violation[]): ClientViolation[] =>
    vs.filter((v) => opts.dropInfo === false || v.severity !== "info").map((v) => ({ ...v }));
  const mode = opts.mode;
  // The chunk schema of each operation, looked up once (null: none).
  const chunkPointers = new Map<string, string | null>();
  const chunkCheck = { check: "sse_chunk_schema", location: "response.sse.data" };
  const undocumented = mode === "strict" ? "error" : "info";
  return {
    contract,
    validateRequest(operationId, body) {
      const c = contract();
      const op = c.operation(operationId);
      if (!op)
        return [
          {
            check: "operation_documented",
            severity: "error",
            instancePath: "",
            message: `unknown operation ${operationId}`,
          },
        ];
      return keep(dedupe(requestViolations(c, op, body)));
    },
    validateResponse(operationId, status, contentType, body) {
      const c = contract();
      const op = c.operation(operationId);
      if (!op) return [];
      if (baseMediaType(contentType) === "text/event-stream") return []; // chunks are validated one by one
      return keep(dedupe(responseViolations(c, op, status, contentType, body, { mode })));
    },
    validateChunk(operationId, chunk) {
      const c = contract();
      let pointer = chunkPointers.get(operationId);
      if (pointer === undefined) {
        const op = c.operation(operationId);
        pointer = (op && streamMediaOf(op)?.chunkPointer) || null;
        chunkPointers.set(operationId, pointer);
      }
      if (!pointer) return [];
      // Schema errors, else undocumented fields; a valid chunk costs one precompiled verdict (the closed copy's).
      const vs = c.validateWithUndocumented(pointer, chunk, chunkCheck, undocumented);
      return vs.length ? keep(dedupe(vs)) : vs;
    },
  };
}
