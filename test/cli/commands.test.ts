import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, openSync, writeSync, closeSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { latestReleased } from "../../src/cli/commands/diff";
import { main } from "../../src/cli/run";
import { allExamples, runCli as run, sampleRecords } from "../support/conformance";

const root = fileURLToPath(new URL("../..", import.meta.url));
const specs = fileURLToPath(new URL("../conformance/fixtures/specs/", import.meta.url));
let dir: string;

function har(records: ReturnType<typeof sampleRecords>) {
  return {
    log: {
      version: "1.2",
      creator: { name: "test", version: "1" },
      entries: records.map((r, i) => {
        const text = r.response!.bodyText ?? JSON.stringify(r.response!.body);
        const b64 = i % 3 === 0; // exercise base64-encoded bodies
        return {
          startedDateTime: "2026-11-26T00:00:00Z",
          request: {
            method: r.request.method,
            url: r.request.url,
            headers: Object.entries(r.request.headers ?? {}).map(([name, value]) => ({ name, value })),
            ...(r.request.body !== undefined
              ? { postData: { mimeType: "application/json", text: JSON.stringify(r.request.body) } }
              : {}),
          },
          response: {
            status: r.response!.status,
            headers: Object.entries(r.response!.headers ?? {}).map(([name, value]) => ({ name, value })),
            content: {
              mimeType: r.response!.headers!["content-type"],
              text: b64 ? Buffer.from(text).toString("base64") : text,
              ...(b64 ? { encoding: "base64" } : {}),
            },
          },
        };
      }),
    },
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "orc-cli-"));
  const recs = sampleRecords();
  writeFileSync(join(dir, "sample.jsonl"), `${recs.map((r) => JSON.stringify(r)).join("\n")}\n`);
  const clean = recs.filter(
    (r) => !/^(bad-|teapot|no-done|not-json|undocumented-op|code-mismatch|new-field)/.test(r.id!),
  );
  writeFileSync(join(dir, "clean.jsonl"), `${clean.map((r) => JSON.stringify(r)).join("\r\n")}\r\n\n`);
  writeFileSync(join(dir, "sample.har"), JSON.stringify(har(recs)));
  writeFileSync(join(dir, "clean.har"), JSON.stringify(har(clean)));
  const bin = Buffer.alloc(4096);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 131) % 256;
  writeFileSync(join(dir, "binary.bin"), bin);
  writeFileSync(join(dir, "garbage.jsonl"), "hello\nworld\n");
  // A 50 MB line between two good lines, written in pieces (never held as one string here).
  const fd = openSync(join(dir, "huge.jsonl"), "w");
  writeSync(fd, `${JSON.stringify(clean[0])}\n{"v":1,"junk":"`);
  const piece = Buffer.alloc(1 << 20, "a");
  for (let i = 0; i < 50; i++) writeSync(fd, piece);
  writeSync(fd, `"\n${JSON.stringify(clean[1])}\n`);
  closeSync(fd);
  const req = allExamples().find((e) => e.operationId === "createChatCompletion" && e.side === "request")!;
  writeFileSync(join(dir, "req.json"), JSON.stringify(req.value));
  writeFileSync(
    join(dir, "bad-req.json"),
    JSON.stringify({ ...(req.value as object), messages: [{ role: "user", content: 42 }] }),
  );
  writeFileSync(join(dir, "not.json"), "{nope");
  writeFileSync(
    join(dir, "allow-all.txt"),
    [
      "# everything in head-breaking.json is intentional",
      "POST /chat/completions request_required_added -- model became mandatory",
      "POST /chat/completions request_enum_value_removed -- tier b retired",
      "POST /chat/completions request_type_narrowed /components -- null no longer meaningful",
      "POST /chat/completions request_type_narrowed request.body -- null no longer meaningful",
    ].join("\n"),
  );
});

describe("check", () => {
  it("text report on mixed traffic: grouped by operation and check, exit 1", async () => {
    const r = await run("check", join(dir, "sample.jsonl"));
    expect(r.code).toBe(1);
    for (const id of [
      "response_body_schema",
      "request_body_schema",
      "status_code_documented",
      "sse_done_terminator",
      "sse_data_is_json",
      "operation_documented",
      "error_code_matches_status",
    ])
      expect(r.out).toContain(id);
    expect(r.out).toMatch(/createChatCompletion\n/);
    expect(r.out).toMatch(/\d+ exchanges checked/);
  });
  it("--checks / --exclude-checks filter by check id", async () => {
    const only = JSON.parse(
      (await run("check", join(dir, "sample.jsonl"), "--format", "json", "--checks", "sse_done_terminator")).out,
    );
    expect([...new Set(only.violations.map((v: any) => v.check))]).toEqual(["sse_done_terminator"]);
    const ex = JSON.parse(
      (
        await run(
          "check",
          join(dir, "sample.jsonl"),
          "--format",
          "json",
          "--exclude-checks",
          "not_a_server_error,no_undocumented_fields",
        )
      ).out,
    );
    expect(
      ex.violations.some((v: any) => v.check === "not_a_server_error" || v.check === "no_undocumented_fields"),
    ).toBe(false);
  });
  it("clean traffic (CRLF, blank lines) exits 0", async () => {
    const r = await run("check", join(dir, "clean.jsonl"));
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  });
  it("--format json is one parsable object; violations carry exchange id and line", async () => {
    const r = await run("check", join(dir, "sample.jsonl"), "--format", "json");
    const j = JSON.parse(r.out);
    expect(j.summary.exchanges).toBeGreaterThan(10);
    const v = j.violations.find((x: any) => x.exchange === "bad-index");
    expect(v).toMatchObject({ check: "response_body_schema", severity: "error", operation: "createChatCompletion" });
    expect(v.line).toBeGreaterThan(1);
    expect(v.instancePath).toBe("/choices/0/index");
    expect(v.schemaPath).toMatch(/^#\/components\/schemas\//);
    expect(j.groups.length).toBeGreaterThan(0);
  });
  it("--format junit is XML", async () => {
    const r = await run("check", join(dir, "sample.jsonl"), "--format", "junit");
    expect(r.out).toMatch(/^<\?xml/);
    expect(r.out).toContain("<testsuites");
    expect(r.out).toContain("<failure");
  });
  it("--fail-on warning / info and --strict change the exit code", async () => {
    const clean = join(dir, "clean.jsonl");
    expect((await run("check", clean, "--fail-on", "warning")).code).toBe(0);
    expect((await run("check", clean, "--fail-on", "info")).code).toBe(1); // 5xx examples carry not_a_server_error info
    const warnOnly = join(dir, "warn.jsonl");
    const rec = sampleRecords().find((r) => r.id === "code-mismatch")!;
    writeFileSync(warnOnly, `${JSON.stringify(rec)}\n`);
    expect((await run("check", warnOnly)).code).toBe(0);
    expect((await run("check", warnOnly, "--fail-on", "warning")).code).toBe(1);
    const nf = join(dir, "newfield.jsonl");
    writeFileSync(nf, `${JSON.stringify(sampleRecords().find((r) => r.id === "new-field")!)}\n`);
    expect((await run("check", nf)).code).toBe(0);
    expect((await run("check", nf, "--strict")).code).toBe(1);
  });
  it("HAR input (base64 bodies included) gives the same findings as JSONL", async () => {
    const h = await run("check", join(dir, "sample.har"), "--format", "json");
    const l = await run("check", join(dir, "sample.jsonl"), "--format", "json");
    const key = (o: any) => o.groups.map((g: any) => `${g.operation} ${g.check} ${g.instancePath} ${g.count}`).sort();
    expect(key(JSON.parse(h.out))).toEqual(key(JSON.parse(l.out)));
    expect((await run("check", join(dir, "clean.har"))).code).toBe(0);
  });
  it("stdin input with -", async () => {
    const { Readable } = await import("node:stream");
    let out = "";
    const code = await main(["check", "-", "--format", "json"], {
      stdout: (s) => void (out += s),
      stderr: () => {},
      stdin: Readable.from([Buffer.from(`${JSON.stringify(sampleRecords()[0])}\n`)]),
    });
    expect(code).toBe(0);
    expect(JSON.parse(out).summary.exchanges).toBe(1);
  });
});

describe("hostile input", () => {
  it("binary input: clear message with a line number, exit 2", async () => {
    const r = await run("check", join(dir, "binary.bin"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/binary\.bin:1: .*(binary|UTF-8)/);
  });
  it("a file of non-JSON lines: exit 2", async () => {
    const r = await run("check", join(dir, "garbage.jsonl"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/garbage\.jsonl:1: not JSON/);
  });
  it("a malformed line among good ones is a record_malformed violation with its line number", async () => {
    const f = join(dir, "mixed.jsonl");
    const recs = sampleRecords();
    writeFileSync(f, `${JSON.stringify(recs[0])}\n{oops\n${JSON.stringify({ v: 2 })}\n${JSON.stringify(recs[1])}\n`);
    const r = await run("check", f, "--format", "json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.violations.filter((v: any) => v.check === "record_malformed").map((v: any) => v.line)).toEqual([2, 3]);
    expect(j.summary.exchanges).toBe(2);
  });
  it("a 50 MB line: reported with its line number, no crash, neighbours still checked", async () => {
    const r = await run("check", join(dir, "huge.jsonl"), "--format", "json");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/huge\.jsonl:2: /);
    const j = JSON.parse(r.out);
    expect(j.summary.exchanges).toBe(2);
    const limited = await run("check", join(dir, "huge.jsonl"), "--max-line-bytes", "1048576");
    expect(limited.err).toMatch(/huge\.jsonl:2: line is \d+ bytes, over the 1048576-byte limit/);
  }, 60_000);
  it("missing file, bad options, unknown command: exit 2", async () => {
    expect((await run("check", join(dir, "nope.jsonl"))).code).toBe(2);
    expect((await run("check", join(dir, "sample.jsonl"), "--format", "xml")).code).toBe(2);
    expect((await run("check", join(dir, "sample.jsonl"), "--bogus")).code).toBe(2);
    expect((await run("check")).code).toBe(2);
    expect((await run("frobnicate")).code).toBe(2);
    expect((await run("check", join(dir, "garbage.jsonl"), "--har")).code).toBe(2);
  });
  it("--help for every command exits 0", async () => {
    for (const c of ["check", "validate", "diff"]) {
      const r = await run(c, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: openrouter-contract /);
    }
    expect((await run("--help")).code).toBe(0);
  });
});

describe("validate", () => {
  it("valid / invalid request, exit 0 / 1; json output", async () => {
    expect((await run("validate", "createChatCompletion", "request", join(dir, "req.json"))).code).toBe(0);
    const bad = await run("validate", "createChatCompletion", "request", join(dir, "bad-req.json"), "--format", "json");
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).violations[0].instancePath).toBe("/messages/0/content");
  });
  it("responses by path, with --status", async () => {
    const err = allExamples().find((e) => e.operationId === "createChatCompletion" && e.status === 429)!;
    const f = join(dir, "429.json");
    writeFileSync(f, JSON.stringify(err.value));
    expect((await run("validate", "/chat/completions", "response", "--status", "429", f)).code).toBe(0);
  });
  it("unknown operation, non-JSON file: exit 2", async () => {
    expect((await run("validate", "nope", "request", join(dir, "req.json"))).code).toBe(2);
    expect((await run("validate", "createChatCompletion", "request", join(dir, "not.json"))).code).toBe(2);
  });
});

describe("diff", () => {
  it("breaking changes: exit 1, text report names the rules", async () => {
    const r = await run("diff", join(specs, "base.json"), join(specs, "head-breaking.json"));
    expect(r.code).toBe(1);
    expect(r.out).toContain("request_required_added");
    expect(r.out).toMatch(/\d+ ERR/);
  });
  it("--format json parsable; allow-list turns ERR into allowed", async () => {
    const j = JSON.parse(
      (await run("diff", join(specs, "base.json"), join(specs, "head-breaking.json"), "--format", "json")).out,
    );
    expect(j.summary.ERR).toBeGreaterThan(0);
    const allowed = await run(
      "diff",
      join(specs, "base.json"),
      join(specs, "head-breaking.json"),
      "--allow",
      join(dir, "allow-all.txt"),
    );
    expect(allowed.out).toContain("allowed");
    expect(allowed.code).toBe(0);
    expect(
      (
        await run(
          "diff",
          join(specs, "base.json"),
          join(specs, "head-breaking.json"),
          "--allow",
          join(dir, "allow-all.txt"),
          "--fail-on",
          "WARN",
        )
      ).code,
    ).toBe(1);
  });
  it("text leads with counts and the verdict; --all lists every change, JSON keeps them all", async () => {
    const args = [
      "diff",
      ".ci/released/openapi-0.1.0.json",
      "generated/openapi.json",
      "--allow",
      ".ci/diff-allowlist.txt",
    ];
    const short = await run(...args);
    const all = await run(...args, "--all");
    const json = JSON.parse((await run(...args, "--format", "json")).out);
    expect(short.code).toBe(0);
    const [counts, verdict] = short.out.split("\n");
    expect(counts).toMatch(new RegExp(`^${json.changes.length} changes: ${json.summary.ERR} ERR \\(breaking\\)`));
    expect(verdict).toMatch(/^Result: clean for --fail-on ERR/);
    const located = (out: string) => out.split("\n").filter((l) => /^ {4}POST \//.test(l)).length;
    expect(located(all.out)).toBe(json.summary.WARN + json.summary.ERR);
    expect(located(short.out)).toBeLessThan(located(all.out));
    const failing = await run(...args, "--fail-on", "WARN");
    expect(failing.code).toBe(1);
    expect(failing.out.split("\n")[1]).toBe(
      `Result: ${json.summary.WARN} changes at or above --fail-on WARN outside the allow-list: exit 1.`,
    );
  });
  it("identical specs exit 0; unreadable spec or bad git ref exit 2", async () => {
    expect((await run("diff", join(specs, "base.json"), join(specs, "base.json"))).code).toBe(0);
    expect((await run("diff", join(dir, "not.json"), join(specs, "base.json"))).code).toBe(2);
    expect((await run("diff", "git:no-such-ref-xyz:generated/openapi.json", join(specs, "base.json"))).code).toBe(2);
  });
});

describe("diff against a directory of released bundles", () => {
  it("picks the highest semver; an empty directory passes", async () => {
    const rel = mkdtempSync(join(tmpdir(), "orc-rel-"));
    expect((await run("diff", rel, join(specs, "base.json"))).code).toBe(0);
    const baseText = readFileSync(join(specs, "base.json"), "utf8");
    writeFileSync(join(rel, "openapi-0.2.0.json"), baseText);
    writeFileSync(join(rel, "openapi-0.10.0-rc.1.json"), "{}");
    writeFileSync(join(rel, "openapi-0.10.0.json"), readFileSync(join(specs, "head-breaking.json"), "utf8"));
    expect(latestReleased(rel)).toBe(join(rel, "openapi-0.10.0.json"));
    // head-breaking -> base loosens requests: no ERR
    expect((await run("diff", rel, join(specs, "base.json"))).code).toBe(0);
    // base -> head-breaking against 0.2.0 would fail; check the chosen file is the newest by diffing to itself
    expect((await run("diff", rel, join(specs, "head-breaking.json"))).out).toMatch(/^0 changes/);
  });
});

describe("the bin via tsx", () => {
  it("runs and sets the exit code", () => {
    const r = spawnSync(
      process.execPath,
      [
        join(root, "node_modules/tsx/dist/cli.mjs"),
        join(root, "src/cli/main.ts"),
        "check",
        join(dir, "sample.jsonl"),
        "--format",
        "json",
      ],
      { encoding: "utf8", cwd: root },
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).summary.exchanges).toBeGreaterThan(10);
  }, 60_000);
});
