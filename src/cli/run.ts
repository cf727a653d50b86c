// Node-only CLI implementation (bin `openrouter-contract`, entry src/cli/main.ts). File I/O lives here, not in the library.
import { execFileSync } from "node:child_process";
import { closeSync, createWriteStream, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { checkExchange } from "../conformance/check";
import { diffSpecs, formatDiffText, parseAllowList, type Level } from "../conformance/diff";
import { harToExchanges, parseExchangeLine } from "../conformance/exchange";
import { Contract } from "../conformance/contract";
import { riskyPatterns } from "../conformance/guards";
import { checkRefChains } from "../spec/ref";
import { MAX_GROUPS, PATHS_PER_GROUP, Report } from "../conformance/report";
import { atLeast, MAX_VIOLATIONS } from "../conformance/violations";
import type { Severity, Violation } from "../conformance/types";
import { loadContract, validateRequest, validateResponse } from "../conformance/index";
import { readLines } from "./lines";
import { displayUrl, startProxy } from "./proxy";

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  stdin?: NodeJS.ReadableStream;
  /** proxy: stop when this aborts (default: on SIGINT or SIGTERM). */
  stop?: AbortSignal;
}

// A reader that stops early (`check … | head`) closes the pipe: stop writing and exit with the command's own code,
// without an EPIPE stack trace.
let stdoutClosed = false;
const defaultIo: Io = {
  stdout: (s) => {
    if (!stdoutClosed) process.stdout.write(s);
  },
  stderr: (s) => void process.stderr.write(s),
};

/** Install once (the bin does): EPIPE on stdout means the reader is gone, which is not an error of ours. */
export function quietOnClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") {
      stdoutClosed = true;
      return;
    }
    throw e;
  });
}

class UsageError extends Error {}

const MAIN_HELP = `openrouter-contract — conformance checks for OpenRouter /completions and /chat/completions

Usage:
  openrouter-contract check <traffic.jsonl | session.har | -> [options]   validate recorded exchanges
  openrouter-contract validate <operationId> request|response [--status N] <file.json | ->
  openrouter-contract diff <base-spec> <head-spec> [--fail-on ERR|WARN] [--allow file]
  openrouter-contract proxy [--upstream URL] [--port N] [--record traffic.jsonl] [--enforce]   validating proxy

Run \`openrouter-contract <command> --help\` for the options of each command.
Exit codes: 0 clean, 1 violations at or above --fail-on, 2 bad input or usage.
`;

const CHECK_HELP = `Usage: openrouter-contract check <traffic.jsonl | session.har | -> [options]

Validates every exchange record (JSONL, one {"v":1,"request":…,"response":…} per line; or a HAR 1.2 file) against
the contract: operation, request body, status, content type, headers, JSON body, and SSE streams chunk by chunk.
Input is streamed line by line. Memory is bounded: findings are grouped by operation, check and schema path (a
group keeps counts, its first finding and up to ${PATHS_PER_GROUP} instance paths; at most ${MAX_GROUPS} groups), the
JSON output lists at most --max-violations findings, and each payload reports at most ${MAX_VIOLATIONS} violations.

Options:
  --spec <file.json>        OpenAPI 3.1 bundle to check against (default: the bundled contract)
  --format text|json|junit  output format (default text)
  --fail-on error|warning|info   exit 1 when a violation at or above this severity is found (default error)
  --strict                  undocumented response fields are errors (default: tolerant, they are info)
  --har                     treat the input as HAR (default: by .har extension)
  --show-info               include info findings in text output
  --no-formats              do not assert "format" keywords
  --max-line-bytes <n>      skip (and report) longer lines (default 67108864)
  --max-violations <n>      cap the violations listed in JSON output (default 10000; groups always complete)
  --checks <id,id>          report only these check ids (e.g. sse_done_terminator,response_body_schema)
  --exclude-checks <id,id>  drop these check ids (e.g. not_a_server_error,no_undocumented_fields)
  -h, --help
`;

const VALIDATE_HELP = `Usage: openrouter-contract validate <operationId|path> request|response [options] <file.json | ->

Validates one JSON payload (or, for --content-type text/event-stream, one raw SSE body).

Options:
  --status <n>              response status (default 200)
  --content-type <type>     response content type (default application/json)
  --spec <file.json>        OpenAPI bundle (default: the bundled contract)
  --strict                  undocumented response fields are errors
  --format text|json        (default text)
  --fail-on error|warning|info   (default error)
  -h, --help
`;

const DIFF_HELP = `Usage: openrouter-contract diff <base-spec> <head-spec> [options]

Direction-aware breaking-change report between two bundled OpenAPI documents (JSON). A spec argument may be
\`git:<ref>:<path>\` to read it from git (e.g. git:HEAD~1:generated/openapi.json). The base may be a directory of
released bundles (openapi-<version>.json): the highest version is used; an empty directory passes (exit 0).
Requests break when they tighten; responses break when they loosen.

Options:
  --fail-on ERR|WARN        exit 1 when a change at or above this level is not allow-listed (default ERR)
  --allow <file>            allow-list: "METHOD /path rule-id [location-prefix] -- reason" per line
  --format text|json        (default text)
  --show-info               include INFO changes in text output
  -h, --help
`;

const GIT_REF = /^(?!-)[A-Za-z0-9._/~^@{}-]{1,200}$/;

const PROXY_HELP = `Usage: openrouter-contract proxy [options]

A local reverse proxy for any client (Python, Go, curl, ...): set the client's base URL to the printed URL. Every
exchange is forwarded to the upstream unchanged (streams event by event as they arrive) and checked against the
contract; findings are printed as they are found, one line each (exchange id, severity, check, location, JSON
pointer, message), and summarised when the proxy stops (Ctrl-C / SIGTERM). Listens on 127.0.0.1 only.

Options:
  --upstream <url>          where requests go (default https://openrouter.ai/api/v1); its path replaces the
                            client's base path, so http://127.0.0.1:PORT/api/v1/chat/completions -> <url>/chat/completions
  --port <n>                port on 127.0.0.1 (default 0: a free port; the URL is printed)
  --record <file.jsonl>     append each exchange as an exchange record (secrets redacted); \`check\` re-runs them
  --enforce                 answer a request whose body breaks the contract with 400 in OpenRouter's error
                            envelope naming the violations, without forwarding it (default: findings only)
  --strict                  undocumented response fields are errors (default: tolerant, they are info)
  --fail-on error|warning|info   exit 1 when a finding at or above this severity was seen (default error)
  --show-info               print info findings live too (always counted in the summary)
  --checks <id,id>          report only these check ids
  --exclude-checks <id,id>  drop these check ids (e.g. operation_documented for calls outside the contract)
  --max-body-bytes <n>      request bytes read for checking and response characters recorded per exchange
                            (default 16777216); a larger request is forwarded unchecked, a larger response is
                            recorded as incomplete
  --redact <name,name>      more header names / top-level request JSON keys to redact in records
  --check-thread worker|main   where stream events are checked (default worker: forwarding never waits for them)
  --spec <file.json>        OpenAPI 3.1 bundle to check against (default: the bundled contract)
  --no-formats              do not assert "format" keywords
  -h, --help

Exit codes (after it stops): 0 no finding at or above --fail-on, 1 findings, 2 usage error or cannot listen/record.
`;

function readSpecArg(arg: string): unknown {
  let text: string;
  if (arg.startsWith("git:")) {
    const rest = arg.slice(4);
    const i = rest.indexOf(":");
    if (i < 0) throw new UsageError(`bad git spec ${arg} (expected git:<ref>:<path>)`);
    const ref = rest.slice(0, i);
    const path = rest.slice(i + 1);
    // The ref reaches git's command line: never an option (git:--output=/tmp/x:y), only revision characters.
    if (!GIT_REF.test(ref)) {
      const expected = "a branch, tag, commit or HEAD~N (letters, digits and ._/~^@{}-, not starting with -)";
      throw new UsageError(`bad git ref ${JSON.stringify(ref)} in ${arg}: expected ${expected}`);
    }
    if (path === "" || path.startsWith("-")) throw new UsageError(`bad path ${JSON.stringify(path)} in ${arg}`);
    try {
      const args = ["show", "--end-of-options", `${ref}:${path}`];
      text = execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      throw new UsageError(`cannot read ${arg} from git: ${String((e as { stderr?: unknown }).stderr ?? e).trim()}`);
    }
  } else {
    try {
      text = readFileSync(arg, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read spec ${arg}: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`spec ${arg} is not JSON: bundle it first (npm run generate writes generated/openapi.json)`);
  }
}

function contractFrom(spec: string | undefined, formats: boolean, warn: (s: string) => void = () => {}): Contract {
  if (!spec) return formats ? loadContract() : loadContract(undefined, { formats });
  try {
    const contract = new Contract(readSpecArg(spec), { formats });
    // A hostile or broken spec: refuse $ref cycles and endless chains now, with a message, not a stack overflow later.
    checkRefChains(contract.spec);
    for (const r of riskyPatterns(contract.spec)) {
      const what = `pattern ${JSON.stringify(r.pattern)} at ${r.pointer}`;
      warn(`warning: ${spec}: ${what} has a nested quantifier and can take exponential time on hostile strings\n`);
    }
    return contract;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`invalid spec ${spec}: ${(e as Error).message}`);
  }
}

function severityArg(v: string | undefined, def: Severity): Severity {
  const s = (v ?? def).toLowerCase();
  if (s === "error" || s === "warning" || s === "info") return s;
  throw new UsageError(`--fail-on must be error, warning or info (got ${v})`);
}

function formatArg(v: string | undefined, allowed: string[]): string {
  const f = v ?? "text";
  if (!allowed.includes(f)) throw new UsageError(`--format must be one of ${allowed.join(", ")} (got ${f})`);
  return f;
}

function intArg(v: string | undefined, def: number, name: string): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive integer (got ${v})`);
  return n;
}

async function cmdCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      spec: { type: "string" },
      format: { type: "string" },
      "fail-on": { type: "string" },
      strict: { type: "boolean" },
      har: { type: "boolean" },
      "show-info": { type: "boolean" },
      "no-formats": { type: "boolean" },
      "max-line-bytes": { type: "string" },
      "max-violations": { type: "string" },
      checks: { type: "string" },
      "exclude-checks": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return io.stdout(CHECK_HELP), 0;
  const only = values.checks ? new Set(values.checks.split(",").map((x) => x.trim()).filter(Boolean)) : undefined;
  const skip = new Set((values["exclude-checks"] ?? "").split(",").map((x) => x.trim()).filter(Boolean));
  const keep = (v: Violation) => (!only || only.has(v.check)) && !skip.has(v.check);
  if (positionals.length !== 1) throw new UsageError("check needs exactly one input file (or - for stdin)\n\n" + CHECK_HELP);
  const file = positionals[0]!;
  const format = formatArg(values.format, ["text", "json", "junit"]);
  const failOn = severityArg(values["fail-on"], "error");
  const mode = values.strict ? "strict" : "tolerant";
  const maxLine = intArg(values["max-line-bytes"], 64 << 20, "--max-line-bytes");
  const contract = contractFrom(values.spec, !values["no-formats"], io.stderr);
  const report = new Report(intArg(values["max-violations"], 10_000, "--max-violations"));
  if (file !== "-") {
    try {
      if (!statSync(file).isFile()) throw new UsageError(`${file} is not a file`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
  }
  let valid = 0;
  let malformed = 0;
  let messages = 0;
  const note = (s: string) => {
    if (messages++ < 20) io.stderr(s + "\n");
    else if (messages === 21) io.stderr("(further input problems not printed; see the report)\n");
  };
  const malformedViolation = (line: number, msg: string) => {
    malformed++;
    note(`${file}:${line}: ${msg}`);
    const v: Violation = { check: "record_malformed", severity: "error", instancePath: "", schemaPath: "", message: `line ${line}: ${msg}`, location: "exchange" };
    report.add(`line-${line}`, line, "(input)", [v], false);
  };
  const runOne = (rec: Parameters<typeof checkExchange>[1], line: number, fallbackId: string) => {
    let res;
    try {
      res = checkExchange(contract, rec, { mode });
    } catch (e) {
      malformedViolation(line, `checker failed on this record: ${(e as Error).message}`);
      return;
    }
    valid++;
    report.add(String(rec.id ?? fallbackId).slice(0, 200), line, res.operation, only || skip.size ? res.violations.filter(keep) : res.violations);
  };
  const isHar = values.har || /\.har$/i.test(file);
  if (isHar) {
    let doc: unknown;
    try {
      const size = file === "-" ? 0 : statSync(file).size;
      if (size > 512 << 20) throw new UsageError(`${file} is ${size} bytes; HAR input is read whole and limited to 512 MiB (convert to JSONL)`);
      doc = JSON.parse(file === "-" ? await readAll(io.stdin ?? process.stdin) : readFileSync(file, "utf8"));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${file} is not a HAR JSON document: ${(e as Error).message}`);
    }
    let conv;
    try {
      conv = harToExchanges(doc);
    } catch (e) {
      throw new UsageError(`${file}: ${(e as Error).message}`);
    }
    for (const err of conv.errors) malformedViolation(err.index + 1, `HAR entry ${err.index}: ${err.error}`);
    conv.records.forEach((rec, i) => runOne(rec, i + 1, `har-${i}`));
    report.lines = conv.records.length + conv.errors.length;
  } else {
    const input = file === "-" ? ((io.stdin ?? process.stdin) as unknown as import("node:stream").Readable) : file;
    for await (const l of readLines(input, maxLine)) {
      report.lines = l.n;
      if ("error" in l) {
        malformedViolation(l.n, l.error);
        continue;
      }
      const r = parseExchangeLine(l.text);
      if (r.ok === "skip") continue;
      if (r.ok === false) {
        malformedViolation(l.n, r.error);
        continue;
      }
      runOne(r.record, l.n, `line-${l.n}`);
    }
  }
  if (valid === 0 && malformed > 0) {
    io.stderr(`${file}: no valid exchange records (${malformed} malformed line${malformed === 1 ? "" : "s"}); is this JSONL in the exchange record format?\n`);
    if (format === "json") io.stdout(report.json());
    return 2;
  }
  io.stdout(format === "json" ? report.json() : format === "junit" ? report.junit() : report.text({ showInfo: !!values["show-info"] }));
  return report.failsOn(failOn) ? 1 : 0;
}

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function cmdValidate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      status: { type: "string" },
      "content-type": { type: "string" },
      spec: { type: "string" },
      strict: { type: "boolean" },
      format: { type: "string" },
      "fail-on": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return io.stdout(VALIDATE_HELP), 0;
  if (positionals.length !== 3) throw new UsageError("validate needs <operationId> request|response <file.json | ->\n\n" + VALIDATE_HELP);
  const [operation, side, file] = positionals as [string, string, string];
  if (side !== "request" && side !== "response") throw new UsageError(`second argument must be request or response (got ${side})`);
  const format = formatArg(values.format, ["text", "json"]);
  const failOn = severityArg(values["fail-on"], "error");
  const contract = contractFrom(values.spec, true, io.stderr);
  if (!contract.operation(operation)) throw new UsageError(`unknown operation ${operation} (known: ${contract.operations.map((o) => o.operationId ?? o.path).join(", ")})`);
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
  if (format === "json") io.stdout(JSON.stringify({ operation, side, valid: !vs.some((v) => v.severity === "error"), violations: vs }) + "\n");
  else if (!vs.length) io.stdout(`${file}: valid ${side} for ${operation}\n`);
  else for (const v of vs) io.stdout(`${v.severity.toUpperCase().padEnd(7)} ${v.check} ${v.instancePath || "(root)"}: ${v.message}${v.schemaPath ? `\n        schema ${v.schemaPath}` : ""}\n`);
  return vs.some((v) => atLeast(v.severity, failOn)) ? 1 : 0;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Highest `openapi-<semver>.json` in a directory (pre-releases sort before their release). */
export function latestReleased(dir: string): string | undefined {
  const parse = (f: string) => /^openapi-(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?\.json$/.exec(f);
  const files = readdirSync(dir).filter((f) => parse(f));
  files.sort((a, b) => {
    const x = parse(a)!;
    const y = parse(b)!;
    for (let i = 1; i <= 3; i++) if (Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
    return (x[4] ? 0 : 1) - (y[4] ? 0 : 1) || (a < b ? -1 : 1);
  });
  const last = files.at(-1);
  return last ? join(dir, last) : undefined;
}

async function cmdDiff(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      "fail-on": { type: "string" },
      allow: { type: "string" },
      format: { type: "string" },
      "show-info": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return io.stdout(DIFF_HELP), 0;
  if (positionals.length !== 2) throw new UsageError("diff needs <base-spec> <head-spec>\n\n" + DIFF_HELP);
  const failOn = (values["fail-on"] ?? "ERR").toUpperCase() as Level;
  if (failOn !== "ERR" && failOn !== "WARN") throw new UsageError(`--fail-on must be ERR or WARN (got ${values["fail-on"]})`);
  const format = formatArg(values.format, ["text", "json"]);
  let allow;
  if (values.allow) {
    let text: string;
    try {
      text = readFileSync(values.allow, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read allow-list ${values.allow}: ${(e as Error).message}`);
    }
    try {
      allow = parseAllowList(text);
    } catch (e) {
      throw new UsageError(`${values.allow}: ${(e as Error).message}`);
    }
  }
  let baseArg = positionals[0]!;
  if (!baseArg.startsWith("git:") && isDir(baseArg)) {
    // A directory of released bundles: compare against the highest openapi-<semver>.json in it.
    const latest = latestReleased(baseArg);
    if (!latest) {
      io.stdout(`no released bundle (openapi-<version>.json) in ${baseArg} yet: nothing to compare\n`);
      return 0;
    }
    baseArg = latest;
    io.stderr(`comparing against ${latest}\n`);
  }
  const base = readSpecArg(baseArg);
  const head = readSpecArg(positionals[1]!);
  let r;
  try {
    r = diffSpecs(base, head, allow ? { allow } : {});
  } catch (e) {
    throw new UsageError(`cannot diff: ${(e as Error).message}`);
  }
  io.stdout(format === "json" ? JSON.stringify({ base: baseArg, head: positionals[1], ...r }, null, 2) + "\n" : formatDiffText(r, { showInfo: !!values["show-info"] }));
  const failing = r.changes.filter((c) => c.allowed === undefined && (c.level === "ERR" || (failOn === "WARN" && c.level === "WARN")));
  return failing.length ? 1 : 0;
}

async function cmdProxy(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      upstream: { type: "string" },
      port: { type: "string" },
      record: { type: "string" },
      enforce: { type: "boolean" },
      strict: { type: "boolean" },
      "fail-on": { type: "string" },
      "show-info": { type: "boolean" },
      checks: { type: "string" },
      "exclude-checks": { type: "string" },
      "max-body-bytes": { type: "string" },
      "check-thread": { type: "string" },
      redact: { type: "string" },
      spec: { type: "string" },
      "no-formats": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return io.stdout(PROXY_HELP), 0;
  if (positionals.length) throw new UsageError(`proxy takes no positional arguments (got ${positionals.join(" ")})\n\n${PROXY_HELP}`);
  const upstreamArg = values.upstream ?? "https://openrouter.ai/api/v1";
  let upstream: URL;
  try {
    upstream = new URL(upstreamArg);
  } catch {
    throw new UsageError(`--upstream must be an absolute http(s) URL (got ${upstreamArg})`);
  }
  if (upstream.protocol !== "http:" && upstream.protocol !== "https:") throw new UsageError(`--upstream must be an http or https URL (got ${displayUrl(upstream)})`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535 (got ${values.port})`);
  const failOn = severityArg(values["fail-on"], "error");
  const checkThread = values["check-thread"] ?? "worker";
  if (checkThread !== "worker" && checkThread !== "main") throw new UsageError(`--check-thread must be worker or main (got ${checkThread})`);
  const list = (v: string | undefined) => (v ?? "").split(",").map((x) => x.trim()).filter(Boolean);
  const only = values.checks ? new Set(list(values.checks)) : undefined;
  const skip = new Set(list(values["exclude-checks"]));
  const contract = contractFrom(values.spec, !values["no-formats"]);
  let sink: import("node:fs").WriteStream | undefined;
  if (values.record) {
    let fd: number;
    try {
      fd = openSync(values.record, "a");
    } catch (e) {
      throw new UsageError(`cannot open ${values.record} for recording: ${(e as Error).message}`);
    }
    sink = createWriteStream("", { fd });
  }
  let proxy;
  try {
    proxy = await startProxy({
      upstream: upstream.href,
      port,
      contract,
      mode: values.strict ? "strict" : "tolerant",
      formats: !values["no-formats"],
      checkThread,
      enforce: !!values.enforce,
      showInfo: !!values["show-info"],
      keep: (v) => (!only || only.has(v.check)) && !skip.has(v.check),
      maxBodyBytes: intArg(values["max-body-bytes"], 16 << 20, "--max-body-bytes"),
      redact: list(values.redact),
      log: (line) => io.stdout(line + "\n"),
      ...(sink ? { record: (line: string) => void sink.write(line) } : {}),
    });
  } catch (e) {
    if (sink) closeSync((sink as unknown as { fd: number }).fd);
    throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`);
  }
  io.stdout(`proxy listening on ${proxy.baseUrl} -> ${displayUrl(upstream)}${values.enforce ? " (enforcing)" : ""}${values.record ? `; recording to ${values.record}` : ""}\n`);
  io.stdout(`set your client's base URL to ${proxy.baseUrl}; Ctrl-C stops and prints the summary\n`);
  await new Promise<void>((resolve) => {
    if (io.stop) {
      if (io.stop.aborted) resolve();
      else io.stop.addEventListener("abort", () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await proxy.close();
  if (sink) await new Promise<void>((resolve) => sink.end(resolve));
  const st = proxy.stats();
  io.stdout("\n" + proxy.report.text({ showInfo: !!values["show-info"] }));
  io.stdout(`proxy: ${st.exchanges} exchanges forwarded or answered; ${st.enforced} rejected by --enforce, ${st.upstreamErrors} upstream errors, ${st.clientAborts} client aborts, ${st.cutAtStop} cut at stop, ${st.unchecked} unchecked (body over --max-body-bytes)\n`);
  return proxy.report.failsOn(failOn) ? 1 : 0;
}

/** Run the CLI; returns the exit code (never throws). */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "check":
        return await cmdCheck(rest, io);
      case "validate":
        return await cmdValidate(rest, io);
      case "diff":
        return await cmdDiff(rest, io);
      case "proxy":
        return await cmdProxy(rest, io);
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.stdout(MAIN_HELP);
        return cmd === undefined ? 2 : 0;
      default:
        io.stderr(`unknown command ${JSON.stringify(cmd)}\n\n${MAIN_HELP}`);
        return 2;
    }
  } catch (e) {
    const msg = e instanceof UsageError ? e.message : (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? (e as Error).message : `internal error: ${(e as Error)?.stack ?? String(e)}`;
    io.stderr(`openrouter-contract: ${msg}\n`);
    return 2;
  }
}
