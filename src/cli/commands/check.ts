// `openrouter-contract check`: validate recorded exchanges (JSONL exchange records, a HAR file, or capture files: a
// folder of them or one) against the contract.
import { readFileSync, statSync } from "node:fs";
import type { Readable } from "node:stream";
import { dirname, relative } from "node:path";
import { parseArgs } from "node:util";
import { isCapture } from "../../conformance/capture";
import { checkExchange, type ExchangeResult } from "../../conformance/check";
import { harToExchanges, parseExchangeLine } from "../../conformance/exchange";
import { Report } from "../../conformance/report";
import type { ExchangeRecord, Violation } from "../../conformance/types";
import { CHECK_HELP, CHECK_OPTIONS, checkFilter, formatArg, intArg, type Io, severityArg, UsageError } from "../args";
import { captureFiles, readCapture } from "../inputs";
import { readAll, readLines } from "../lines";
import { contractFrom } from "../spec-arg";

export async function cmdCheck(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: CHECK_OPTIONS });
  if (values.help) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  const filter = checkFilter(values.checks, values["exclude-checks"]);
  if (positionals.length !== 1) {
    throw new UsageError(`check needs exactly one input file or folder (or - for stdin)\n\n${CHECK_HELP}`);
  }
  const file = positionals[0]!;
  const format = formatArg(values.format, ["text", "json", "junit"]);
  const failOn = severityArg(values["fail-on"], "error");
  const mode = values.strict ? "strict" : "tolerant";
  const maxLine = intArg(values["max-line-bytes"], 64 << 20, "--max-line-bytes");
  const contract = contractFrom(values.spec, !values["no-formats"], io.stderr);
  const report = new Report(intArg(values["max-violations"], 10_000, "--max-violations"));
  const kind = file === "-" ? "file" : inputKind(file);
  let valid = 0;
  let malformed = 0;
  let messages = 0;
  const note = (s: string) => {
    if (messages++ < 20) io.stderr(`${s}\n`);
    else if (messages === 21) io.stderr("(further input problems not printed; see the report)\n");
  };
  const malformedViolation = (line: number, msg: string) => {
    malformed++;
    note(`${file}:${line}: ${msg}`);
    const v: Violation = {
      check: "record_malformed",
      severity: "error",
      instancePath: "",
      schemaPath: "",
      message: `line ${line}: ${msg}`,
      location: "exchange",
    };
    report.add(`line-${line}`, line, "(input)", [v], false);
  };
  const runOne: RunOne = (rec, line, fallbackId) => {
    let res: ExchangeResult;
    try {
      res = checkExchange(contract, rec, { mode });
    } catch (e) {
      malformedViolation(line, `checker failed on this record: ${(e as Error).message}`);
      return;
    }
    valid++;
    const vs = filter.active ? res.violations.filter(filter.keep) : res.violations;
    report.add(String(rec.id ?? fallbackId).slice(0, 200), line, res.operation, vs);
  };
  const isHar = values.har || /\.har$/i.test(file);
  if (!isHar && kind !== "file") {
    report.lines = checkCaptures(file, kind, runOne, malformedViolation);
    report.unit = report.lines === 1 ? "file" : "files";
  } else if (isHar) {
    let doc: unknown;
    try {
      const size = file === "-" ? 0 : statSync(file).size;
      if (size > 512 << 20) {
        const limit = "HAR input is read whole and limited to 512 MiB (convert to JSONL)";
        throw new UsageError(`${file} is ${size} bytes; ${limit}`);
      }
      doc = JSON.parse(file === "-" ? await readAll(io.stdin ?? process.stdin) : readFileSync(file, "utf8"));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${file} is not a HAR JSON document: ${(e as Error).message}`);
    }
    let conv: ReturnType<typeof harToExchanges>;
    try {
      conv = harToExchanges(doc);
    } catch (e) {
      throw new UsageError(`${file}: ${(e as Error).message}`);
    }
    for (const err of conv.errors) malformedViolation(err.index + 1, `HAR entry ${err.index}: ${err.error}`);
    for (const [i, rec] of conv.records.entries()) runOne(rec, i + 1, `har-${i}`);
    report.lines = conv.records.length + conv.errors.length;
  } else {
    const input = file === "-" ? ((io.stdin ?? process.stdin) as unknown as Readable) : file;
    for await (const lines of readLines(input, maxLine)) {
      for (const l of lines) {
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
  }
  if (valid === 0 && malformed > 0) {
    const lines = `${malformed} malformed line${malformed === 1 ? "" : "s"}`;
    const hint = kind === "file" ? "is this JSONL in the exchange record format?" : "are these capture files?";
    io.stderr(`${file}: no valid exchange records (${lines}); ${hint}\n`);
    if (format === "json") io.stdout(report.json());
    return 2;
  }
  const showInfo = !!values["show-info"];
  io.stdout(report.render(format, { showInfo }));
  return report.failsOn(failOn) ? 1 : 0;
}

type RunOne = (rec: ExchangeRecord, n: number, id: string) => void;

/** Capture files: one exchange per file, named (and ordered) by its path below the folder. Returns the file count. */
function checkCaptures(file: string, kind: "folder" | "capture", run: RunOne, bad: (n: number, msg: string) => void) {
  const root = kind === "folder" ? file : dirname(file);
  const files = kind === "folder" ? captureFiles(file) : [file];
  if (files.length === 0) throw new UsageError(`${file}: no capture files (*.json) in this folder`);
  for (const [i, f] of files.entries()) {
    const r = readCapture(f, root);
    if (r.ok === true) run(r.record, i + 1, relative(root, f));
    else if (r.ok === false) bad(i + 1, `${relative(root, f)}: ${r.error.replace(`${f}: `, "")}`);
  }
  return files.length;
}

/** What a path argument holds: a folder of captures, one capture file (a `.json` that is one), or line/HAR input. */
function inputKind(file: string): "folder" | "capture" | "file" {
  try {
    const st = statSync(file);
    if (st.isDirectory()) return "folder";
    if (!st.isFile()) throw new UsageError(`${file} is not a file or folder`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!/\.json$/i.test(file) || statSync(file).size > 512 << 20) return "file";
  try {
    return isCapture(JSON.parse(readFileSync(file, "utf8"))) ? "capture" : "file";
  } catch {
    return "file"; // not one JSON document: read it as JSONL
  }
}
