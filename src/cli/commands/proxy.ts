// `openrouter-contract proxy`: run the validating, recording reverse proxy until SIGINT/SIGTERM, then summarise.
import { closeSync, createWriteStream, openSync, type WriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { checkFilter, intArg, type Io, listArg, PROXY_HELP, PROXY_OPTIONS, severityArg, UsageError } from "../args";
import { displayUrl } from "../proxy/forward";
import { type ProxyHandle, startProxy } from "../proxy/server";
import { contractFrom } from "../spec-arg";
import { untilStopped } from "../stop";

/** "1 exchange", "2 exchanges". */
const n = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

export async function cmdProxy(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: PROXY_OPTIONS });
  if (values.help) {
    io.stdout(PROXY_HELP);
    return 0;
  }
  if (positionals.length) {
    throw new UsageError(`proxy takes no positional arguments (got ${positionals.join(" ")})\n\n${PROXY_HELP}`);
  }
  const upstreamArg = values.upstream ?? "https://openrouter.ai/api/v1";
  let upstream: URL;
  try {
    upstream = new URL(upstreamArg);
  } catch {
    throw new UsageError(`--upstream must be an absolute http(s) URL (got ${upstreamArg})`);
  }
  if (upstream.protocol !== "http:" && upstream.protocol !== "https:") {
    throw new UsageError(`--upstream must be an http or https URL (got ${displayUrl(upstream)})`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be an integer from 0 to 65535 (got ${values.port})`);
  }
  const failOn = severityArg(values["fail-on"], "error");
  const checkThread = values["check-thread"] ?? "worker";
  if (checkThread !== "worker" && checkThread !== "main") {
    throw new UsageError(`--check-thread must be worker or main (got ${checkThread})`);
  }
  const { keep } = checkFilter(values.checks, values["exclude-checks"]);
  const contract = contractFrom(values.spec, !values["no-formats"]);
  const maxBodyBytes = intArg(values["max-body-bytes"], 16 << 20, "--max-body-bytes");
  const upstreamTimeoutMs = intArg(values["upstream-timeout"], 600, "--upstream-timeout") * 1000;
  let sink: WriteStream | undefined;
  if (values.record) {
    let fd: number;
    try {
      fd = openSync(values.record, "a");
    } catch (e) {
      throw new UsageError(`cannot open ${values.record} for recording: ${(e as Error).message}`);
    }
    sink = createWriteStream("", { fd });
  }
  let proxy: ProxyHandle;
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
      keep,
      maxBodyBytes,
      upstreamTimeoutMs,
      redact: listArg(values.redact),
      log: (line) => io.stdout(`${line}\n`),
      ...(sink ? { recordStream: sink } : {}),
    });
  } catch (e) {
    if (sink) closeSync((sink as unknown as { fd: number }).fd);
    throw new UsageError(`cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`);
  }
  const enforcing = values.enforce ? " (enforcing)" : "";
  const recording = values.record ? `; recording to ${values.record}` : "";
  io.stdout(`proxy listening on ${proxy.baseUrl} -> ${displayUrl(upstream)}${enforcing}${recording}\n`);
  io.stdout(`set your client's base URL to ${proxy.baseUrl}; Ctrl-C stops and prints the summary\n`);
  await untilStopped(io).wait;
  await proxy.close();
  if (sink) await new Promise<void>((resolve) => sink.end(resolve));
  const st = proxy.stats();
  io.stdout(`\n${proxy.report.text({ showInfo: !!values["show-info"] })}`);
  io.stdout(
    `proxy: ${n(st.exchanges, "exchange")} forwarded or answered; ${st.enforced} rejected by --enforce, ` +
      `${n(st.upstreamErrors, "upstream error")}, ${n(st.clientAborts, "client abort")}, ` +
      `${st.cutAtStop} cut at stop, ` +
      `${st.unchecked} unchecked (body over --max-body-bytes)\n`,
  );
  return proxy.report.failsOn(failOn) ? 1 : 0;
}
