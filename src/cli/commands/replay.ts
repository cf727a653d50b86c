// `openrouter-contract replay`: answer requests from recorded exchanges until SIGINT/SIGTERM (or --exit-after), with
// the contract checked on the side; then summarise like `check`.
import { parseArgs } from "node:util";
import { createReplayServer, type ReplayHandle } from "../../replay/server";
import { parseMatch } from "../../replay/match";
import { checkFilter, formatArg, intArg, type Io, REPLAY_HELP, REPLAY_OPTIONS, severityArg, UsageError } from "../args";
import { contractFrom } from "../spec-arg";
import { untilStopped } from "../stop";

function paceArg(v: string | undefined): number {
  if (v === undefined) return 0;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 60_000) {
    throw new UsageError(`--pace must be a delay in ms from 0 to 60000 (got ${v}); records carry no per-event timing`);
  }
  return n;
}

function portArg(v: string | undefined): number {
  const port = v === undefined ? 0 : Number(v);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535 (got ${v})`);
  }
  return port;
}

export async function cmdReplay(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: REPLAY_OPTIONS });
  if (values.help) {
    io.stdout(REPLAY_HELP);
    return 0;
  }
  if (!positionals.length) throw new UsageError(`replay needs at least one recording file or folder\n\n${REPLAY_HELP}`);
  const format = formatArg(values.format, ["text", "json", "junit"]);
  const failOn = severityArg(values["fail-on"], "error");
  const exitAfter = values["exit-after"] === undefined ? undefined : intArg(values["exit-after"], 0, "--exit-after");
  let match: ReturnType<typeof parseMatch>;
  try {
    match = parseMatch(values.match);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { keep } = checkFilter(values.checks, values["exclude-checks"]);
  const contract = contractFrom(values.spec, !values["no-formats"], io.stderr);
  const stopper = untilStopped(io);
  let server: ReplayHandle;
  try {
    server = await createReplayServer({
      paths: positionals,
      match,
      sequence: !!values.sequence,
      pace: paceArg(values.pace),
      contract,
      mode: values.strict ? "strict" : "tolerant",
      port: portArg(values.port),
      keep,
      // Live findings: stdout in text form; stderr when stdout carries the JSON or JUnit summary.
      log: (line) => (format === "text" ? io.stdout : io.stderr)(`${line}\n`),
      onExchange: (n) => {
        if (exitAfter !== undefined && n >= exitAfter) stopper.stop();
      },
    });
  } catch (e) {
    stopper.stop();
    throw new UsageError((e as Error).message);
  }
  const st = server.stats();
  for (const s of server.skipped.slice(0, 20)) io.stderr(`skipped ${s.where}: ${s.reason}\n`);
  if (server.skipped.length > 20) io.stderr(`(${server.skipped.length - 20} more skipped)\n`);
  if (!st.recordings) {
    stopper.stop();
    await server.close();
    throw new UsageError(`no recordings found in ${positionals.join(", ")}`);
  }
  const how = values.sequence ? "in sequence" : "by request";
  const key = values.match ?? "body";
  io.stdout(`replay listening on ${server.url}: ${st.recordings} recordings, matched ${how} (match: ${key})\n`);
  io.stdout(`set your client's base URL to ${server.url}; Ctrl-C stops and prints the summary\n`);
  await stopper.wait;
  await server.close();
  const end = server.stats();
  const r = server.report;
  const summary = r.render(format, { showInfo: !!values["show-info"], name: "openrouter-contract replay" });
  io.stdout(format === "text" ? `\n${summary}` : summary);
  io.stdout(
    `replay: ${end.requests} requests, ${end.matched} answered from recordings, ${end.unmatched} unmatched (404); ` +
      `${end.served} of ${end.recordings} recordings served; ${end.skipped} inputs skipped\n`,
  );
  return r.failsOn(failOn) ? 1 : 0;
}
