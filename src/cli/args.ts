// What the CLI accepts: each command's option table and help text, and the argument checks commands share.
import { MAX_VIOLATIONS } from "../conformance/violations";
import { MAX_GROUPS, PATHS_PER_GROUP } from "../conformance/report";
import type { Severity, Violation } from "../conformance/types";

/** Where a command writes (and, for `-`, reads). Tests pass their own; the bin passes the process's. */
export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  stdin?: NodeJS.ReadableStream;
  /** proxy: stop when this aborts (default: on SIGINT or SIGTERM). */
  stop?: AbortSignal;
}

/** Bad input or usage: printed as `openrouter-contract: <message>`, exit code 2. */
export class UsageError extends Error {}

export const MAIN_HELP = `openrouter-contract — conformance checks for OpenRouter /completions and /chat/completions

Usage:
  openrouter-contract check <traffic.jsonl | session.har | -> [options]   validate recorded exchanges
  openrouter-contract validate <operationId> request|response [--status N] <file.json | ->
  openrouter-contract diff <base-spec> <head-spec> [--fail-on ERR|WARN] [--allow file]
  openrouter-contract proxy [--upstream URL] [--port N] [--record traffic.jsonl] [--enforce]   validating proxy
  openrouter-contract replay <records.jsonl | folder | capture.json>... [--port N] [--match KEY]   replay server

Run \`openrouter-contract <command> --help\` for the options of each command.
Exit codes: 0 clean, 1 violations at or above --fail-on, 2 bad input or usage.
`;

export const CHECK_HELP = `Usage: openrouter-contract check <traffic.jsonl | session.har | captures/ | capture.json | ->
       [options]

Validates every exchange record (JSONL, one {"v":1,"request":…,"response":…} per line; or a HAR 1.2 file; or
capture files, one {"request":…,"response":…} exchange per .json file, a folder of them read recursively and named
by relative path) against the contract: operation, request body, status, content type, headers, JSON body, and SSE
streams chunk by chunk.
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

export const CHECK_OPTIONS = {
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
} as const;

export const VALIDATE_HELP = `\
Usage: openrouter-contract validate <operationId|path> request|response [options] <file.json | ->

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

export const VALIDATE_OPTIONS = {
  status: { type: "string" },
  "content-type": { type: "string" },
  spec: { type: "string" },
  strict: { type: "boolean" },
  format: { type: "string" },
  "fail-on": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const DIFF_HELP = `Usage: openrouter-contract diff <base-spec> <head-spec> [options]

Direction-aware breaking-change report between two bundled OpenAPI documents (JSON). A spec argument may be
\`git:<ref>:<path>\` to read it from git (e.g. git:HEAD~1:generated/openapi.json). The base may be a directory of
released bundles (openapi-<version>.json): the highest version is used; an empty directory passes (exit 0).
Requests break when they tighten; responses break when they loosen.

Options:
  --fail-on ERR|WARN        exit 1 when a change at or above this level is not allow-listed (default ERR)
  --allow <file>            allow-list: "METHOD /path rule-id [location-prefix] -- reason" per line
  --format text|json        (default text)
  --show-info               include INFO changes in text output
  --all                     list every change of each rule in text output (default: the first 3 per rule)
  -h, --help

Text output starts with the counts and the verdict ("Result: clean for --fail-on ERR ..." when nothing breaks
outside the allow-list), then breaking changes in full, allowed ones by rule and reason, warnings by rule.
`;

export const DIFF_OPTIONS = {
  "fail-on": { type: "string" },
  allow: { type: "string" },
  format: { type: "string" },
  "show-info": { type: "boolean" },
  all: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export const PROXY_HELP = `Usage: openrouter-contract proxy [options]

A local reverse proxy for any client (Python, Go, curl, ...): set the client's base URL to the printed URL. Every
exchange is forwarded to the upstream unchanged (streams event by event as they arrive) and checked against the
contract; findings are printed as they are found, one line each (exchange id, severity, check, location, JSON
pointer, message), and summarised when the proxy stops (Ctrl-C / SIGTERM). Listens on 127.0.0.1 only.

Options:
  --upstream <url>          where requests go (default https://openrouter.ai/api/v1); its path replaces the
                            client's base path, so http://127.0.0.1:PORT/api/v1/chat/completions ->
                            <url>/chat/completions
  --port <n>                port on 127.0.0.1 (default 0: a free port; the URL is printed)
  --record <file.jsonl>     append each exchange as an exchange record (secrets redacted); \`check\` re-runs them
  --enforce                 answer a request whose body breaks the contract with 400 in OpenRouter's error
                            envelope naming the violations, without forwarding it (default: findings only)
  --strict                  undocumented response fields are errors (default: tolerant, they are info)
  --fail-on error|warning|info   exit 1 when a finding at or above this severity was seen (default error)
  --show-info               print info findings live too (always counted in the summary)
  --checks <id,id>          report only these check ids
  --exclude-checks <id,id>  drop these check ids (e.g. operation_documented for calls outside the contract)
  --max-body-bytes <n>      request bytes read for checking and response bytes recorded per exchange
                            (default 16777216); a larger request is forwarded unchecked, a larger response is
                            recorded as incomplete
  --upstream-timeout <s>    seconds the upstream has to send the response head (default 600); then 502
  --redact <name,name>      more header names / top-level request JSON keys to redact in records
  --check-thread worker|main   where stream events are checked (default worker: forwarding never waits for them)
  --spec <file.json>        OpenAPI 3.1 bundle to check against (default: the bundled contract)
  --no-formats              do not assert "format" keywords
  -h, --help

Exit codes (after it stops): 0 no finding at or above --fail-on, 1 findings, 2 usage error or cannot listen/record.
`;

export const PROXY_OPTIONS = {
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
  "upstream-timeout": { type: "string" },
  redact: { type: "string" },
  spec: { type: "string" },
  "no-formats": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export function severityArg(v: string | undefined, def: Severity): Severity {
  const s = (v ?? def).toLowerCase();
  if (s === "error" || s === "warning" || s === "info") return s;
  throw new UsageError(`--fail-on must be error, warning or info (got ${v})`);
}

export function formatArg<F extends string>(v: string | undefined, allowed: readonly F[]): F {
  const f = v ?? "text";
  if (!(allowed as readonly string[]).includes(f)) {
    throw new UsageError(`--format must be one of ${allowed.join(", ")} (got ${f})`);
  }
  return f as F;
}

export function intArg(v: string | undefined, def: number, name: string): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive integer (got ${v})`);
  return n;
}

/** A comma-separated option (`--checks a,b`, `--redact x`): trimmed, empty items dropped. */
export function listArg(v: string | undefined): string[] {
  return (v ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

/** `--checks` / `--exclude-checks`: `active` is false when neither is given (nothing needs filtering). */
export function checkFilter(checks: string | undefined, excludeChecks: string | undefined) {
  const only = checks ? new Set(listArg(checks)) : undefined;
  const skip = new Set(listArg(excludeChecks));
  const keep = (v: Violation) => (!only || only.has(v.check)) && !skip.has(v.check);
  return { keep, active: only !== undefined || skip.size > 0 };
}

export const REPLAY_HELP = `Usage: openrouter-contract replay <records.jsonl | folder | capture.json>... [options]

A local server (127.0.0.1 only) that answers requests from recorded exchanges: the JSONL records of \`proxy
--record\` and the recorder middleware, capture files ({"request":…,"response":…} per .json file) and HAR files; a
folder is read recursively. Set your client's base URL to the printed URL; any bearer token is accepted, none needed.
Responses come back as recorded: status, content type, the JSON body, or the event stream event by event, byte for
byte (a recording cut short ends the connection where it stopped). A request no recording matches gets a 404 in
OpenRouter's error envelope naming the closest recording and the first difference (JSON pointer, expected, got).
Each request and replayed answer is checked against the contract on the side (stale recordings show up as drift);
findings print as they happen and are summarised, like \`check\`, when it stops (Ctrl-C, SIGTERM, --exit-after).

Options:
  --port <n>                port on 127.0.0.1 (default 0: a free port; the URL is printed)
  --match <key>             what must equal a recording's besides method and path: body (default: the whole JSON
                            body, key order ignored), path (method and path only), or top-level fields and JSON
                            pointers joined by + (model+messages, /model+/messages/0/content)
  --sequence                serve the recordings in their order: request n must match recording n
  --pace <ms>               delay between the events of a replayed stream (default 0; records carry no per-event
                            timing, so this is a fixed delay)
  --exit-after <n>          stop after n requests have been answered and checked
  --format text|json|junit  summary format (default text)
  --fail-on error|warning|info   exit 1 when a finding at or above this severity was seen (default error);
                            an unmatched request is an error (replay_unmatched)
  --strict                  undocumented response fields are errors (default: tolerant, they are info)
  --show-info               include info findings in the summary
  --checks <id,id>          report only these check ids
  --exclude-checks <id,id>  drop these check ids (e.g. sse_finish_reason for recordings known to break it)
  --spec <file.json>        OpenAPI 3.1 bundle to check against (default: the bundled contract)
  --no-formats              do not assert "format" keywords
  -h, --help

Recordings with the same key are served in their order, cycling: the third of two identical requests gets the first
recording again. Exit codes (after it stops): 0 no finding at or above --fail-on, 1 findings, 2 usage error.
`;

export const REPLAY_OPTIONS = {
  port: { type: "string" },
  match: { type: "string" },
  sequence: { type: "boolean" },
  pace: { type: "string" },
  "exit-after": { type: "string" },
  format: { type: "string" },
  "fail-on": { type: "string" },
  strict: { type: "boolean" },
  "show-info": { type: "boolean" },
  checks: { type: "string" },
  "exclude-checks": { type: "string" },
  spec: { type: "string" },
  "no-formats": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;
