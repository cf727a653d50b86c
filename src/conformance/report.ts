import type { Severity, Violation } from "./types";
import { atLeast, SEVERITY_RANK } from "./violations";

export interface ReportViolation extends Violation {
  exchange: string;
  line: number;
  operation: string;
}

interface Group {
  operation: string;
  check: string;
  severity: Severity;
  /** The first instance path seen (array indices folded to `*`). */
  key: string;
  /** Up to PATHS_PER_GROUP distinct folded instance paths; `otherPaths` counts findings at any other path. */
  paths: string[];
  otherPaths: number;
  count: number;
  exchanges: number;
  firstLine: number;
  firstExchange: string;
  sample: Violation;
  lastExchange: string;
}

export interface ReportSummary {
  exchanges: number;
  /** Lines (or HAR entries) that could not be read as exchange records. */
  inputErrors: number;
  lines: number;
  exchangesWithViolations: number;
  violations: number;
  bySeverity: Record<Severity, number>;
  truncated: boolean;
}

/** Distinct instance paths kept per group. */
export const PATHS_PER_GROUP = 5;
/** Groups kept; past it, findings fold into one group per operation, check and severity. */
export const MAX_GROUPS = 2_000;

/**
 * Streaming aggregation with bounded memory: groups by operation → check → severity → schemaPath (for checks that are
 * not schema-driven: the message with numbers folded). A group keeps counts, its first finding and a few instance
 * paths, so a million distinct undocumented fields cost one group, not a million.
 */
export class Report {
  private readonly groups = new Map<string, Group>();
  readonly violations: ReportViolation[] = [];
  private exchanges = 0;
  private inputErrors = 0;
  private withViolations = 0;
  lines = 0;
  /** What `lines` counts, for the text summary ("files" when the input is capture files). */
  unit = "lines";
  private total = 0;
  private truncated = false;
  private readonly sev: Record<Severity, number> = { error: 0, warning: 0, info: 0 };

  constructor(private readonly maxListed = 10_000) {}

  /** Record the violations of one exchange (`countExchange: false` for input errors that are not exchanges). */
  add(exchange: string, line: number, operation: string | undefined, vs: Violation[], countExchange = true): void {
    if (countExchange) this.exchanges++;
    else this.inputErrors++;
    if (countExchange && vs.some((v) => v.severity !== "info")) this.withViolations++;
    const op = operation ?? "(undocumented)";
    for (const v of vs) {
      this.total++;
      this.sev[v.severity]++;
      const folded = v.instancePath.replace(/\/\d+(?=\/|$)/g, "/*");
      const base = `${op}\u0000${v.check}\u0000${v.severity}\u0000`;
      let key = `${base}${v.schemaPath}\u0000${v.schemaPath ? "" : v.message.slice(0, 200).replace(/\d+/g, "N")}`;
      if (!this.groups.has(key) && this.groups.size >= MAX_GROUPS) key = `${base}*`;
      const g = this.groups.get(key);
      if (g) {
        g.count++;
        if (!g.paths.includes(folded)) {
          if (g.paths.length < PATHS_PER_GROUP) g.paths.push(folded);
          else g.otherPaths++;
        }
        if (g.lastExchange !== exchange) {
          g.exchanges++;
          g.lastExchange = exchange;
        }
      } else {
        this.groups.set(key, {
          operation: op,
          check: v.check,
          severity: v.severity,
          key: folded,
          paths: [folded],
          otherPaths: 0,
          count: 1,
          exchanges: 1,
          firstLine: line,
          firstExchange: exchange,
          sample: v,
          lastExchange: exchange,
        });
      }
      if (this.violations.length < this.maxListed) this.violations.push({ exchange, line, operation: op, ...v });
      else this.truncated = true;
    }
  }

  summary(): ReportSummary {
    return {
      exchanges: this.exchanges,
      inputErrors: this.inputErrors,
      lines: this.lines,
      exchangesWithViolations: this.withViolations,
      violations: this.total,
      bySeverity: { ...this.sev },
      truncated: this.truncated,
    };
  }

  /** Highest severity seen ("none" when clean). */
  worst(): Severity | "none" {
    return this.sev.error ? "error" : this.sev.warning ? "warning" : this.sev.info ? "info" : "none";
  }

  failsOn(level: Severity): boolean {
    return (Object.keys(this.sev) as Severity[]).some((s) => this.sev[s] > 0 && atLeast(s, level));
  }

  sortedGroups(): Group[] {
    return [...this.groups.values()].sort(
      (a, b) =>
        (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0) ||
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        (a.check < b.check ? -1 : a.check > b.check ? 1 : 0) ||
        a.firstLine - b.firstLine,
    );
  }

  text(opts: { showInfo?: boolean } = {}): string {
    const s = this.summary();
    const out: string[] = [];
    let lastOp = "";
    let lastCheck = "";
    for (const g of this.sortedGroups()) {
      if (g.severity === "info" && !opts.showInfo) continue;
      if (g.operation !== lastOp) {
        out.push(`\n${g.operation}`);
        lastOp = g.operation;
        lastCheck = "";
      }
      if (g.check !== lastCheck) {
        out.push(`  ${g.check}`);
        lastCheck = g.check;
      }
      const shown = g.paths.filter(Boolean);
      const others = g.otherPaths ? ` (+${g.otherPaths} at other paths)` : "";
      const where = shown.length ? ` ${shown.join(", ")}${others}:` : "";
      const exchanges = `${g.exchanges} exchange${g.exchanges === 1 ? "" : "s"}`;
      const seen =
        g.exchanges > 1 || g.count > 1
          ? ` (seen ${g.count}× in ${exchanges}; first at line ${g.firstLine})`
          : ` (line ${g.firstLine}, ${g.firstExchange})`;
      out.push(`    ${g.severity.toUpperCase().padEnd(7)}${where} ${g.sample.message}${seen}`);
      const detail: string[] = [];
      if (g.sample.expected !== undefined) detail.push(`expected ${short(g.sample.expected)}`);
      if (g.sample.actual !== undefined) detail.push(`actual ${short(g.sample.actual)}`);
      if (g.sample.schemaPath) detail.push(`schema ${g.sample.schemaPath}`);
      if (detail.length) out.push(`             ${detail.join("; ")}`);
    }
    const infoHidden = !opts.showInfo && s.bySeverity.info ? ` (${s.bySeverity.info} info hidden; --show-info)` : "";
    const plural = (n: number) => `${n} exchange${n === 1 ? "" : "s"}`;
    const unreadable = s.inputErrors ? `, ${s.inputErrors} unreadable` : "";
    const { error, warning, info } = s.bySeverity;
    out.push(
      `\n${plural(s.exchanges)} checked (${s.lines} ${s.lines === 1 ? this.unit.replace(/s$/, "") : this.unit}` +
        `${unreadable}): ` +
        `${error} error, ${warning} warning, ${info} info${infoHidden}; ` +
        `${plural(s.exchangesWithViolations)} with errors or warnings`,
    );
    return `${out.join("\n").replace(/^\n/, "")}\n`;
  }

  json(): string {
    const groups = this.sortedGroups().map((g) => ({
      operation: g.operation,
      check: g.check,
      severity: g.severity,
      instancePath: g.key,
      instancePaths: g.paths,
      otherPaths: g.otherPaths,
      schemaPath: g.sample.schemaPath,
      message: g.sample.message,
      count: g.count,
      exchanges: g.exchanges,
      firstLine: g.firstLine,
      firstExchange: g.firstExchange,
    }));
    return `${JSON.stringify({ summary: this.summary(), groups, violations: this.violations })}\n`;
  }

  /** The report in one of the CLI's output formats; `name` titles the JUnit suite. */
  render(format: "text" | "json" | "junit", opts: { showInfo?: boolean; name?: string } = {}): string {
    if (format === "json") return this.json();
    return format === "junit" ? this.junit(opts.name) : this.text(opts);
  }

  junit(name = "openrouter-contract check"): string {
    const byOp = new Map<string, Group[]>();
    for (const g of this.sortedGroups()) {
      const list = byOp.get(g.operation) ?? [];
      list.push(g);
      byOp.set(g.operation, list);
    }
    const s = this.summary();
    const suites: string[] = [];
    for (const [op, groups] of byOp) {
      const cases = groups.map((g) => {
        const caseName = `${g.check} ${g.key || "(whole)"} ${g.sample.schemaPath}`.trim();
        const body =
          `${g.sample.message} — seen ${g.count}× in ${g.exchanges} exchange(s); ` +
          `first at line ${g.firstLine} (${g.firstExchange})`;
        const inner =
          g.severity === "error"
            ? `<failure type="${esc(g.check)}" message="${esc(g.sample.message)}">${esc(body)}</failure>`
            : `<system-out>${esc(`${g.severity}: ${body}`)}</system-out>`;
        return `    <testcase classname="${esc(op)}" name="${esc(caseName)}">${inner}</testcase>`;
      });
      const failures = groups.filter((g) => g.severity === "error").length;
      const suite = `<testsuite name="${esc(op)}" tests="${groups.length}" failures="${failures}" errors="0">`;
      suites.push(`  ${suite}\n${cases.join("\n")}\n  </testsuite>`);
    }
    if (!suites.length) {
      const conform = `<testcase classname="exchanges" name="${s.exchanges} exchanges conform"/>`;
      suites.push(`  <testsuite name="exchanges" tests="1" failures="0" errors="0">\n    ${conform}\n  </testsuite>`);
    }
    const failing = [...this.groups.values()].filter((g) => g.severity === "error").length;
    const root = `<testsuites name="${esc(name)}" tests="${this.groups.size || 1}" failures="${failing}">`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${suites.join("\n")}\n</testsuites>\n`;
  }
}

function short(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}

function esc(s: string): string {
  // Strip characters XML 1.0 forbids (control characters other than tab, LF and CR among them), then escape.
  return s
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
