// `check` over capture files (the ../shared/captures format): a folder of them, or one file, each one exchange.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli as run } from "../support/conformance";

const url = "https://openrouter.ai/api/v1/chat/completions";
const good = {
  request: { method: "POST", url, body: { model: "m", messages: [{ role: "user", content: "Hi" }] } },
  response: {
    status: 200,
    content_type: "application/json",
    body: {
      id: "gen-1",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Hello" } }],
    },
  },
};
const bad = { ...good, request: { ...good.request, body: { model: "m", messages: [{ role: "user" }], top_p: 7 } } };

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "orc-captures-"));
  mkdirSync(join(dir, "proj"));
  writeFileSync(join(dir, "proj", "a.json"), JSON.stringify(good));
  writeFileSync(join(dir, "proj", "b.json"), JSON.stringify(bad));
  writeFileSync(join(dir, "proj", "b.meta.json"), "{}"); // not a capture: skipped by name
  writeFileSync(join(dir, "README.md"), "# not JSON");
  return dir;
}

describe("check <captures>", () => {
  it("a folder: every capture is an exchange named by its relative path", async () => {
    const r = await run("check", folder(), "--format", "json");
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.summary.exchanges).toBe(2);
    const bodyErrors = j.violations.filter((v: any) => v.check === "request_body_schema");
    expect(bodyErrors.map((v: any) => v.exchange)).toContain(join("proj", "b.json"));
    expect(bodyErrors.map((v: any) => v.instancePath)).toContain("/top_p");
    expect(j.violations.some((v: any) => v.exchange === join("proj", "a.json") && v.severity === "error")).toBe(false);
  });

  it("one capture file (.json) is checked as one exchange", async () => {
    const dir = folder();
    const r = await run("check", join(dir, "proj", "a.json"));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 exchange checked/);
  });

  it("a file that is not a capture: record_malformed naming it; an empty folder: exit 2", async () => {
    const dir = folder();
    writeFileSync(join(dir, "proj", "c.json"), JSON.stringify({ hello: 1 }));
    const r = await run("check", dir, "--format", "json");
    const j = JSON.parse(r.out);
    const m = j.violations.filter((v: any) => v.check === "record_malformed");
    expect(m.map((v: any) => v.message)).toEqual([expect.stringContaining(`${join("proj", "c.json")}: not a capture`)]);
    expect((await run("check", mkdtempSync(join(tmpdir(), "orc-empty-")))).code).toBe(2);
  });
});
