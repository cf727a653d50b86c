import { describe, expect, it } from "vitest";
import { captureToExchange, isCapture } from "../../src/conformance/capture";
import { REDACTED } from "../../src/conformance/record";

const url = "https://openrouter.ai/api/v1/chat/completions";

describe("captureToExchange", () => {
  it("turns a JSON capture into an exchange record with its content type and a redacted key", () => {
    const r = captureToExchange(
      {
        request: { method: "POST", url, body: { model: "m" } },
        response: { status: 200, content_type: "application/json", body: { id: "x" } },
      },
      "a/b.json",
    );
    expect(r.ok).toBe(true);
    if (r.ok !== true) return;
    expect(r.record.id).toBe("a/b.json");
    expect(r.record.request.headers?.authorization).toBe(REDACTED);
    expect(r.record.response?.body).toEqual({ id: "x" });
    expect(r.record.response?.headers?.["content-type"]).toBe("application/json");
  });

  it("keeps a stream's raw text as bodyText", () => {
    const r = captureToExchange({
      request: { method: "POST", url },
      response: { status: 200, sse: "data: [DONE]\n\n" },
    });
    expect(r.ok === true && r.record.response?.bodyText).toBe("data: [DONE]\n\n");
  });

  it("rejects what is not a capture, and exchange records (v: 1), with a reason", () => {
    expect(isCapture({ v: 1, request: { method: "POST", url }, response: { status: 200 } })).toBe(false);
    const r = captureToExchange({ request: { method: 1, url }, response: { status: 200 } });
    expect(r).toEqual({ ok: false, error: expect.stringContaining("request.method") });
    expect(captureToExchange([]).ok).toBe(false);
  });
});
