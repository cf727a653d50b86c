// The real recorded exchanges of `../shared/captures` (357 files; format in its README), read at test time and never
// copied into the repository. `OPENROUTER_CAPTURES` overrides the folder. A missing folder throws: a suite that
// judges the contract by real traffic must not pass silently because the traffic is not there.
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { captureFiles, readCapture } from "../../src/cli/inputs";
import { type Capture, isCapture } from "../../src/conformance/capture";
import { expect } from "vitest";
import { type Contract, checkExchange } from "../../src/conformance/index";
import type { ExchangeRecord, Mode } from "../../src/conformance/types";

const repoRoot = join(import.meta.dirname, "..", "..");

/** Where the captures are: `$OPENROUTER_CAPTURES`, else `<repo>/../shared/captures` (use sharedCapturesDir to read). */
export const CAPTURES_DIR = process.env.OPENROUTER_CAPTURES || join(repoRoot, "..", "shared", "captures");

/** The captures folder; throws when it does not exist. */
export function sharedCapturesDir(): string {
  if (!existsSync(CAPTURES_DIR)) {
    const where = "put shared/ beside the repository or set OPENROUTER_CAPTURES";
    throw new Error(`real captures not found at ${CAPTURES_DIR}: ${where}`);
  }
  return CAPTURES_DIR;
}

/** Every capture as an exchange record (id = its path in the folder), sorted; throws on a file that does not read. */
export function sharedCaptureRecords(): ExchangeRecord[] {
  const dir = sharedCapturesDir();
  return captureFiles(dir).map((file) => {
    const r = readCapture(file, dir);
    if (r.ok !== true) throw new Error(`${file}: ${r.ok === false ? r.error : "empty"}`);
    return r.record;
  });
}

/**
 * `checkExchange` of every capture in tolerant and strict mode under `a` (a fast path) and `b` (the path it stands in
 * for), asserting equal results; returns `a`'s, for the caller's own counts.
 */
export function sameOverCaptures(a: Contract, b: Contract): { mode: Mode; result: ReturnType<typeof checkExchange> }[] {
  const recs = sharedCaptureRecords();
  expect(recs.length).toBeGreaterThan(100);
  const out: { mode: Mode; result: ReturnType<typeof checkExchange> }[] = [];
  for (const rec of recs) {
    for (const mode of ["tolerant", "strict"] as const) {
      const result = checkExchange(rec, { contract: a, mode });
      expect(result, rec.id).toEqual(checkExchange(rec, { contract: b, mode }));
      out.push({ mode, result });
    }
  }
  return out;
}

export interface NamedCapture {
  /** Path relative to the captures folder, e.g. `crmne__ruby_llm/foo.json`. */
  name: string;
  capture: Capture;
}

/** Every capture, sorted by path. Throws on a file that is not a capture (it would otherwise be skipped unseen). */
export function loadSharedCaptures(): NamedCapture[] {
  const dir = sharedCapturesDir();
  return captureFiles(dir).map((file) => {
    const v: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (!isCapture(v)) throw new Error(`${file}: not a capture`);
    return { name: relative(dir, file), capture: v };
  });
}

/** The JSON `data:` payloads of a raw event stream, in order (`[DONE]` and comments left out). */
export function sseDataEvents(sse: string): unknown[] {
  const out: unknown[] = [];
  for (const block of sse.replace(/\r\n?/g, "\n").split("\n\n")) {
    const data = block
      .split("\n")
      .filter((l) => l.startsWith("data:"))
      .map((l) => l.slice(5).replace(/^ /, ""))
      .join("\n");
    if (data && data !== "[DONE]") out.push(JSON.parse(data));
  }
  return out;
}

export interface ReplayServer {
  /** `${base}/c/<i>/api/v1` answers any request with capture `i`'s recorded response. */
  base: string;
  /** The request body text each capture's URL received, by capture index. */
  received: string[];
  close(): Promise<void>;
}

/** One loopback server (127.0.0.1, free port) that answers `/c/<i>/…` with capture `i`'s status, type and body. */
export async function startReplayServer(captures: NamedCapture[]): Promise<ReplayServer> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const i = Number(/^\/c\/(\d+)\//.exec(req.url ?? "")?.[1]);
      const r = captures[i]?.capture.response;
      if (!r) return void res.writeHead(599).end();
      received[i] = Buffer.concat(chunks).toString("utf8");
      res.writeHead(r.status, { "content-type": r.content_type ?? "application/json" });
      res.end(r.sse ?? JSON.stringify(r.body));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

/** Assert that README.md's Faithfulness table has a row starting `| <label> |` that states `**<n>**`. */
export function expectReadmeCount(label: string, n: number): void {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const row = readme.split("\n").find((l) => l.startsWith(`| ${label} |`));
  if (!row) throw new Error(`README.md: no Faithfulness row for ${label}`);
  if (!row.includes(`**${n}**`)) throw new Error(`README.md row "${label}" must state **${n}**: ${row}`);
}
