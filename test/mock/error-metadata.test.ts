// The mock's 400 names each violation in `error.metadata.violations`; the contract documents that shape
// (`ValidationErrorMetadata`, `RequestViolation`), so the mock's own answers pass the strict check (no undocumented
// field) and generated types carry the violations.
import { describe, expect, expectTypeOf, inject, it } from "vitest";
import { validateResponse } from "../../src/conformance/index";
import type { components } from "../../src/types";

type Metadata = NonNullable<components["schemas"]["ErrorObject"]["metadata"]>;

describe("the mock's 400 body conforms to the contract it serves", () => {
  const base = inject("apiBaseUrl");
  it.skipIf(!base)("strict mode finds nothing in a 400 with violations, and the pointers are there", async () => {
    const res = await fetch(`${base}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-or-v1-test", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "Hi" }], top_p: 7 }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.metadata.violations.map((v: { pointer: string }) => v.pointer)).toContain("/top_p");
    const vs = validateResponse("createChatCompletion", 400, "application/json", body, { mode: "strict" });
    expect(vs).toEqual([]);
  });

  it("the strict check does look inside the violations: an unknown field in one is flagged", () => {
    const v = { pointer: "/x", message: "must be string", code: "type", location: "body", extra: 1 };
    const body = { error: { code: 400, message: "m", metadata: { violations: [v] } } };
    const vs = validateResponse("createChatCompletion", 400, "application/json", body, { mode: "strict" });
    expect(vs.map((x) => x.instancePath)).toEqual(["/error/metadata/violations/0/extra"]);
  });

  it("the generated types carry the violations", () => {
    type Violations = Extract<Metadata, { violations: unknown }>["violations"];
    expectTypeOf<Violations[number]["pointer"]>().toEqualTypeOf<string>();
    expectTypeOf<Violations[number]["location"]>().toEqualTypeOf<"body" | "header" | "query" | "path" | "request">();
  });
});
