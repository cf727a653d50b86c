// The report stage of the proxy: every finding of an exchange comes in here (request checks, live stream findings
// from the worker, the response checks at the end), is scrubbed of the exchange's secrets, filtered (`keep`), printed
// live (a few per exchange) and, once the exchange is over, added to the Report.
import { checkExchange } from "../../conformance/check";
import type { Contract } from "../../conformance/contract";
import { REDACTED, redactText } from "../../conformance/record";
import type { Report } from "../../conformance/report";
import type { ExchangeRecord, Mode, Violation } from "../../conformance/types";
import type { SseChecks } from "./stream-checks";

/** Findings printed live per exchange; the rest are only counted (the summary groups them). */
const LIVE_PER_EXCHANGE = 20;
/** A cut value ending in this many characters or more of a secret's start loses them too. */
const MIN_FRAGMENT = 4;

export interface Exchange {
  id: string;
  seq: number;
  request: ExchangeRecord["request"];
  operation?: string;
  findings: Violation[];
  live: number;
  sse?: SseChecks;
  done: boolean;
  /** The secrets this exchange forwarded (bearer tokens, secret headers and query values): never printed. */
  secrets: string[];
}

/** One line of the live log: exchange id, severity, check, location, JSON pointer, message. */
export function formatFinding(id: string, v: Violation): string {
  const msg = v.message.replace(/\s*\n\s*/g, " ");
  const where = `${v.location ?? ""} ${v.instancePath || "(root)"}`;
  return `${id} ${v.severity.toUpperCase().padEnd(7)} ${v.check} ${where}: ${msg}`;
}

/** `text` without the secrets, nor a secret's start left at the end of a cut preview ("sk-or-v1-CAN…"). */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = redactText(text, secrets);
  if (!out.endsWith("…")) return out;
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, out.length - 1); k >= MIN_FRAGMENT; k--) {
      if (out.endsWith(`${s.slice(0, k)}…`)) {
        out = `${out.slice(0, out.length - k - 1)}${REDACTED}…`;
        break;
      }
    }
  }
  return out;
}

/** A copy of a finding's value with the secrets scrubbed from every string and key (values are capped previews). */
function scrubValue(v: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof v === "string") return scrubText(v, secrets);
  if (!v || typeof v !== "object" || depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    Object.defineProperty(out, scrubText(k, secrets), {
      value: scrubValue(x, secrets, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

export function scrubFinding(v: Violation, secrets: readonly string[]): Violation {
  if (!secrets.length) return v;
  const out: Violation = { ...v, instancePath: scrubText(v.instancePath, secrets) };
  out.message = scrubText(v.message, secrets);
  if ("expected" in v) out.expected = scrubValue(v.expected, secrets);
  if ("actual" in v) out.actual = scrubValue(v.actual, secrets);
  return out;
}

export interface ReportStageOptions {
  contract: Contract;
  mode: Mode;
  report: Report;
  keep(v: Violation): boolean;
  log(line: string): void;
  showInfo: boolean;
}

/** Findings in, scrubbed lines out, and the report once an exchange is over. */
export class ReportStage {
  /** Exchanges not finalized yet (close() waits for them). */
  readonly open = new Map<string, Exchange>();

  constructor(private readonly o: ReportStageOptions) {}

  /** A log line about an exchange, scrubbed of its secrets. */
  note(ex: Exchange | undefined, line: string): void {
    this.o.log(ex ? scrubText(`${ex.id} ${line}`, ex.secrets) : line);
  }

  /** Scrubbed and filtered (`keep`): the only way a finding enters the proxy's output. */
  private clean(ex: Exchange, vs: Violation[]): Violation[] {
    const kept: Violation[] = [];
    for (const raw of vs) {
      const v = scrubFinding(raw, ex.secrets);
      if (this.o.keep(v)) kept.push(v);
    }
    return kept;
  }

  /** Print findings live (scrubbed, filtered); returns the ones kept. */
  live(ex: Exchange, vs: Violation[]): Violation[] {
    const kept = this.clean(ex, vs);
    for (const v of kept) {
      if (v.severity === "info" && !this.o.showInfo) continue;
      if (ex.live++ < LIVE_PER_EXCHANGE) this.o.log(formatFinding(ex.id, v));
      else if (ex.live === LIVE_PER_EXCHANGE + 1)
        this.o.log(`${ex.id} (further findings of this exchange: summary only)`);
    }
    return kept;
  }

  /** Findings printed live and kept for the report. */
  add(ex: Exchange, vs: Violation[]): void {
    ex.findings.push(...this.live(ex, vs));
  }

  /** Findings kept for the report, not printed (a stream's findings at its end: printed live already). */
  addQuietly(ex: Exchange, vs: Violation[]): void {
    ex.findings.push(...this.clean(ex, vs));
  }

  /** Response checks (the request side was checked before forwarding, an SSE body while it streamed), then report. */
  finalize(ex: Exchange, response: ExchangeRecord["response"], note?: string): void {
    if (ex.done) return;
    ex.done = true;
    this.open.delete(ex.id);
    if (response) {
      const { contract, mode } = this.o;
      const all = checkExchange(contract, { v: 1, id: ex.id, request: ex.request, response }, { mode }).violations;
      const loc = (v: Violation) => v.location ?? "";
      this.add(
        ex,
        all.filter((v) => loc(v).startsWith("response") && !(ex.sse && loc(v).startsWith("response.sse"))),
      );
    }
    if (note) this.note(ex, note);
    this.o.report.add(ex.id, ex.seq, ex.operation, ex.findings);
    this.o.report.lines = this.o.report.summary().exchanges;
  }
}
