// Reading recordings: JSONL records, capture files, single records and HAR files, from files and folders.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadRecordings } from "../../src/replay/load";
import { chatBody, completion, jsonRecord } from "./fixtures";

const dir = mkdtempSync(join(tmpdir(), "replay-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadRecordings", () => {
  it("reads every format in a folder, in order, and names what it skips and why", () => {
    mkdirSync(join(dir, "in", "sub"), { recursive: true });
    const failed = { v: 1, id: "x", request: { method: "POST", url: "/chat/completions" }, error: "ECONNRESET" };
    writeFileSync(
      join(dir, "in", "a.jsonl"),
      `${JSON.stringify(jsonRecord("r1", "q1", "a1"))}\n\nnot json\n${JSON.stringify(failed)}\n`,
    );
    const capture = {
      request: { method: "POST", url: "https://openrouter.ai/api/v1/chat/completions", body: chatBody("q2") },
      response: { status: 200, content_type: "application/json", body: completion("a2") },
    };
    writeFileSync(join(dir, "in", "sub", "b.json"), JSON.stringify(capture));
    const har = {
      log: {
        entries: [
          {
            request: {
              method: "POST",
              url: "https://openrouter.ai/api/v1/chat/completions",
              headers: [{ name: "Authorization", value: "Bearer sk-secret-value" }],
              postData: { mimeType: "application/json", text: JSON.stringify(chatBody("q3")) },
            },
            response: { status: 200, headers: [], content: { mimeType: "application/json", text: "{}" } },
          },
        ],
      },
    };
    writeFileSync(join(dir, "in", "c.json"), JSON.stringify(har));
    writeFileSync(join(dir, "in", "d.json"), JSON.stringify({ hello: "world" }));
    const { recordings, skipped } = loadRecordings([join(dir, "in")]);
    expect(recordings.map((r) => r.id)).toEqual(["c.json#0", "sub/b.json", "a.jsonl:r1"]);
    expect(recordings.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(recordings[0]!.record.request.headers!.authorization).toBe("[REDACTED]");
    expect(skipped.map((s) => [s.where.replace(dir, ""), s.reason.slice(0, 24)])).toEqual([
      ["/in/d.json", "not a capture, exchange "],
      ["/in/a.jsonl:3", "not JSON (Unexpected tok"],
      ["/in/a.jsonl:4", "no response recorded (th"],
    ]);
  });

  it("a missing path is an error naming it", () => {
    expect(() => loadRecordings([join(dir, "nope")])).toThrow(/cannot read .*nope/);
  });
});
