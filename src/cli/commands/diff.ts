// `openrouter-contract diff`: direction-aware breaking-change report between two bundles (or a released-bundles dir).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type AllowEntry,
  type DiffResult,
  diffSpecs,
  formatDiffText,
  parseAllowList,
  type Level,
} from "../../conformance/diff";
import { DIFF_HELP, DIFF_OPTIONS, formatArg, type Io, UsageError } from "../args";
import { readSpecArg } from "../spec-arg";

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

export async function cmdDiff(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: DIFF_OPTIONS });
  if (values.help) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError(`diff needs <base-spec> <head-spec>\n\n${DIFF_HELP}`);
  const failOn = (values["fail-on"] ?? "ERR").toUpperCase() as Level;
  if (failOn !== "ERR" && failOn !== "WARN") {
    throw new UsageError(`--fail-on must be ERR or WARN (got ${values["fail-on"]})`);
  }
  const format = formatArg(values.format, ["text", "json"]);
  let allow: AllowEntry[] | undefined;
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
  let r: DiffResult;
  try {
    r = diffSpecs(base, head, allow ? { allow } : {});
  } catch (e) {
    throw new UsageError(`cannot diff: ${(e as Error).message}`);
  }
  if (format === "json") io.stdout(`${JSON.stringify({ base: baseArg, head: positionals[1], ...r }, null, 2)}\n`);
  else io.stdout(formatDiffText(r, { showInfo: !!values["show-info"], all: !!values.all, failOn }));
  const blocks = (level: Level) => level === "ERR" || (failOn === "WARN" && level === "WARN");
  const failing = r.changes.filter((c) => c.allowed === undefined && blocks(c.level));
  return failing.length ? 1 : 0;
}
