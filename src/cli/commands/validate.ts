// `openrouter-contract validate`: one request or response payload (JSON, or a raw SSE body) against an operation.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { validateRequest, validateResponse } from "../../conformance/index";
import type { Violation } from "../../conformance/types";
import { atLeast } from "../../conformance/violations";
import { formatArg, intArg, type Io, severityArg, UsageError, VALIDATE_HELP, VALIDATE_OPTIONS } from "../args";
import { readAll } from "../lines";
import { contractFrom } from "../spec-arg";

export async function cmdValidate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: VALIDATE_OPTIONS });
  if (values.help) {
    io.stdout(VALIDATE_HELP);
    return 0;
  }
  if (positionals.length !== 3) {
    throw new UsageError(`validate needs <operationId> request|response <file.json | ->\n\n${VALIDATE_HELP}`);
  }
  const [operation, side, file] = positionals as [string, string, string];
  if (side !== "request" && side !== "response") {
    throw new UsageError(`second argument must be request or response (got ${side})`);
  }
  const format = formatArg(values.format, ["text", "json"]);
  const failOn = severityArg(values["fail-on"], "error");
  const contract = contractFrom(values.spec, true, io.stderr);
  if (!contract.operation(operation)) {
    const known = contract.operations.map((o) => o.operationId ?? o.path).join(", ");
    throw new UsageError(`unknown operation ${operation} (known: ${known})`);
  }
  let text: string;
  try {
    text = file === "-" ? await readAll(io.stdin ?? process.stdin) : readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const ct = values["content-type"] ?? "application/json";
  const status = intArg(values.status, 200, "--status");
  let body: unknown;
  if (side === "response" && /event-stream/i.test(ct)) body = text;
  else {
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
    }
  }
  let vs: Violation[];
  try {
    vs =
      side === "request"
        ? validateRequest(operation, body, { contract })
        : validateResponse(operation, status, ct, body, { contract, mode: values.strict ? "strict" : "tolerant" });
  } catch (e) {
    throw new UsageError(`cannot validate ${file}: ${(e as Error).message}`);
  }
  if (format === "json") {
    const valid = !vs.some((v) => v.severity === "error");
    io.stdout(`${JSON.stringify({ operation, side, valid, violations: vs })}\n`);
  } else if (!vs.length) io.stdout(`${file}: valid ${side} for ${operation}\n`);
  else {
    for (const v of vs) {
      const schema = v.schemaPath ? `\n        schema ${v.schemaPath}` : "";
      const where = v.instancePath || "(root)";
      io.stdout(`${v.severity.toUpperCase().padEnd(7)} ${v.check} ${where}: ${v.message}${schema}\n`);
    }
  }
  return vs.some((v) => atLeast(v.severity, failOn)) ? 1 : 0;
}
