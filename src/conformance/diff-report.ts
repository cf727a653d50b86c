/**
 * The text form of a diff: the verdict first (how many breaking changes, allowed ones and warnings, and what the exit
 * code means), then the changes grouped by level and rule. Breaking changes are listed in full; allowed ones are
 * counted by rule and reason; warnings (and INFO, with `showInfo`) show a few examples per rule unless `all`.
 */
import type { Change, DiffResult, Level } from "./diff";

export interface DiffTextOptions {
  /** Include INFO changes (grouped like warnings). */
  showInfo?: boolean;
  /** List every change of every group, not only the first few. */
  all?: boolean;
  /** The level that fails (the CLI's `--fail-on`; default ERR): it decides the verdict line. */
  failOn?: Level;
}

/** Examples shown per rule of a warning or INFO group (`all` shows every change). */
const EXAMPLES = 3;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Changes by rule id, rules in order of first appearance. */
function byRule(changes: Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const c of changes) groups.set(c.id, [...(groups.get(c.id) ?? []), c]);
  return groups;
}

const line = (c: Change) => `    ${c.operation}  ${c.location}\n        ${c.message}`;

/** One block per rule: its count and operations, then its changes (the first few unless `all`). */
function groupLines(changes: Change[], all: boolean): string[] {
  const out: string[] = [];
  for (const [rule, cs] of byRule(changes)) {
    const ops = [...new Set(cs.map((c) => c.operation))].join(", ");
    out.push(`  ${rule} (${cs.length}) in ${ops}`);
    const shown = all ? cs : cs.slice(0, EXAMPLES);
    out.push(...shown.map(line));
    if (shown.length < cs.length) out.push(`    … ${cs.length - shown.length} more (--all lists them)`);
  }
  return out;
}

/** Allowed changes by rule, then how many each allow-list reason covers. */
function allowedLines(changes: Change[]): string[] {
  return [...byRule(changes)].map(([rule, cs]) => {
    const reasons = new Map<string, number>();
    for (const c of cs) reasons.set(c.allowed!, (reasons.get(c.allowed!) ?? 0) + 1);
    const why = [...reasons].map(([r, n]) => `${n} × "${r.length > 70 ? `${r.slice(0, 69)}…` : r}"`).join("; ");
    return `  ${rule} (${cs.length}): ${why}`;
  });
}

export function formatDiffText(r: DiffResult, opts: DiffTextOptions = {}): string {
  const s = r.summary;
  const failOn = opts.failOn ?? "ERR";
  const open = (level: Level) => r.changes.filter((c) => c.level === level && c.allowed === undefined);
  const breaking = open("ERR");
  const warnings = open("WARN");
  const allowed = r.changes.filter((c) => c.allowed !== undefined);
  const failing = failOn === "WARN" ? breaking.length + warnings.length : breaking.length;
  const out = [
    `${plural(r.changes.length, "change")}: ${s.ERR} ERR (breaking), ${s.allowed} allowed by the allow-list, ` +
      `${s.WARN} WARN (review), ${s.INFO} INFO${s.INFO && !opts.showInfo ? " (hidden; --show-info)" : ""}`,
  ];
  if (r.changes.length === 0) return `${out[0]}: nothing a client could notice\n`;
  out.push(
    failing
      ? `Result: ${plural(failing, "change")} at or above --fail-on ${failOn} outside the allow-list: exit 1.`
      : `Result: clean for --fail-on ${failOn}: no ${failOn === "WARN" ? "ERR or WARN" : "breaking"} change ` +
          "outside the allow-list (exit 0)." +
          (failOn === "ERR" && warnings.length ? ` The ${warnings.length} WARN are for review, not failures.` : ""),
  );
  out.push("", `Breaking (ERR, not allowed): ${breaking.length ? breaking.length : "none"}`);
  out.push(...groupLines(breaking, true));
  if (allowed.length) out.push("", `Allowed by the allow-list (${allowed.length}), by rule and reason:`);
  out.push(...allowedLines(allowed));
  if (warnings.length) {
    const first = opts.all ? "" : `; the first ${EXAMPLES} of each rule`;
    out.push("", `WARN (${warnings.length}): may affect some clients, by rule${first}:`);
    out.push(...groupLines(warnings, !!opts.all));
  }
  const info = open("INFO");
  if (opts.showInfo && info.length) {
    out.push("", `INFO (${info.length}): compatible changes, by rule:`);
    out.push(...groupLines(info, !!opts.all));
  }
  return `${out.join("\n")}\n`;
}
