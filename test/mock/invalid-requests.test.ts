// Invalid requests get OpenRouter's error envelope with the documented status, and every violation is named by its
// JSON pointer. The seed page's ranges are normative (DECISIONS.md §2), so they are listed here on purpose.
import { describe, expect, it } from "vitest";
import { AUTH, JSON_CT, deref, errorSchemaOf, hasServer, ops, post, url, validatorFor, type Op } from "../support/mock";

interface Violation {
  pointer: string;
  message: string;
  code: string;
  location: string;
}

/**
 * Asserts the envelope shape, the status, that it validates against the op's declared error schema, and returns the
 * violations.
 */
async function expectEnvelope(
  res: Response,
  status: number,
  op?: Op,
): Promise<{ message: string; violations: Violation[] }> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text);
  expect(body.error.code).toBe(status);
  expect(typeof body.error.message).toBe("string");
  const schema = op && (errorSchemaOf(op, String(status)) ?? errorSchemaOf(op, "400"));
  if (schema) {
    const validate = validatorFor(schema);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  }
  return { message: body.error.message, violations: body.error.metadata?.violations ?? [] };
}

// [field, bad value, why] — the seed's ranges: temperature [0,2], top_p (0,1], top_k [1,∞), frequency/presence
// penalty [-2,2], repetition_penalty (0,2], min_p [0,1], top_a [0,1], max_tokens >= 1.
const SEED_VIOLATIONS: [string, unknown][] = [
  ["temperature", -0.1],
  ["temperature", 2.1],
  ["top_p", 0],
  ["top_p", 1.1],
  ["top_k", 0],
  ["frequency_penalty", -2.1],
  ["frequency_penalty", 2.1],
  ["presence_penalty", -2.1],
  ["presence_penalty", 2.1],
  ["repetition_penalty", 0],
  ["repetition_penalty", 2.1],
  ["min_p", -0.1],
  ["min_p", 1.1],
  ["top_a", -0.1],
  ["top_a", 1.1],
  ["max_tokens", 0],
];

const WRONG_TYPES: [string, unknown][] = [
  ["model", 5],
  ["stream", "yes"],
  ["temperature", "hot"],
  ["max_tokens", 1.5],
  ["top_k", 2.5],
  ["models", "openai/gpt-4o"],
  ["seed", "42"],
  ["logit_bias", [1, 2]],
];

describe.skipIf(!hasServer)("invalid requests -> error envelope", () => {
  for (const op of ops) {
    describe(op.operationId, () => {
      const schema = deref(op.requestSchema);

      for (const [field, value] of SEED_VIOLATIONS) {
        it(`${field}: ${JSON.stringify(value)} -> 400 naming /${field}`, async () => {
          expect(schema.properties, `request schema declares ${field}`).toHaveProperty(field);
          const { message, violations } = await expectEnvelope(
            await post(op.path, { ...op.validBody, [field]: value }),
            400,
            op,
          );
          const v = violations.find((x) => x.pointer === `/${field}`);
          expect(v, JSON.stringify(violations)).toBeDefined();
          expect(v!.code).toMatch(/^(minimum|maximum|exclusiveMinimum|exclusiveMaximum)$/);
          expect(message).toContain(`/${field}`);
        });
      }

      for (const [field, value] of WRONG_TYPES) {
        it(`wrong type ${field}: ${JSON.stringify(value)} -> 400 naming /${field}`, async () => {
          const { message, violations } = await expectEnvelope(
            await post(op.path, { ...op.validBody, [field]: value }),
            400,
            op,
          );
          expect(violations.map((x) => x.pointer)).toContain(`/${field}`);
          expect(message).toContain(`/${field}`);
        });
      }

      for (const field of (schema.required ?? []) as string[]) {
        it(`missing required ${field} -> 400 naming /${field}`, async () => {
          const body = { ...op.validBody };
          delete body[field];
          const { violations } = await expectEnvelope(await post(op.path, body), 400, op);
          expect(violations).toContainEqual(expect.objectContaining({ pointer: `/${field}`, code: "required" }));
        });
      }

      it("every violation is listed (three at once)", async () => {
        const { message, violations } = await expectEnvelope(
          await post(op.path, { ...op.validBody, temperature: 3, top_p: 0, top_k: 0 }),
          400,
          op,
        );
        for (const f of ["temperature", "top_p", "top_k"]) {
          expect(violations.map((x) => x.pointer)).toContain(`/${f}`);
          expect(message).toContain(`/${f}`);
        }
      });

      it("missing Authorization -> 401 envelope", async () => {
        const res = await fetch(url(op), { method: "POST", headers: JSON_CT, body: JSON.stringify(op.validBody) });
        const { message } = await expectEnvelope(res, 401, op);
        expect(message).toMatch(/Authorization/);
      });

      for (const bad of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "sk-or-v1-abc"]) {
        it(`malformed Authorization '${bad}' -> 401 envelope`, async () => {
          const res = await fetch(url(op), {
            method: "POST",
            headers: { ...JSON_CT, authorization: bad },
            body: JSON.stringify(op.validBody),
          });
          await expectEnvelope(res, 401, op);
        });
      }

      it("malformed JSON -> 400 envelope (invalid_json)", async () => {
        const { violations } = await expectEnvelope(await post(op.path, '{"model": "x",'), 400, op);
        expect(violations).toContainEqual(expect.objectContaining({ pointer: "", code: "invalid_json" }));
      });

      it("wrong content type -> 400 envelope (documented status; 415 is not declared)", async () => {
        const res = await fetch(url(op), {
          method: "POST",
          headers: { ...AUTH, "content-type": "text/plain" },
          body: JSON.stringify(op.validBody),
        });
        const { message, violations } = await expectEnvelope(res, 400, op);
        expect(violations).toContainEqual(expect.objectContaining({ code: "content_type" }));
        expect(message).toMatch(/application\/json/);
      });

      it("a non-object body -> 400 naming the root", async () => {
        const { violations } = await expectEnvelope(await post(op.path, "[1,2]"), 400, op);
        expect(violations.length).toBeGreaterThan(0);
      });

      it("wrong method -> 405 envelope with Allow", async () => {
        const res = await fetch(url(op), { headers: AUTH });
        await expectEnvelope(res, 405);
        expect(res.headers.get("allow")).toBe(op.method.toUpperCase());
      });
    });
  }

  const chat = ops.find((o) => (deref(o.requestSchema).required ?? []).includes("messages"));
  it.runIf(!!chat)("unknown role -> 400 naming /messages/0/role and the allowed roles", async () => {
    const op = chat!;
    const body = { ...op.validBody, messages: [{ role: "wizard", content: "hi" }] };
    const { message, violations } = await expectEnvelope(await post(op.path, body), 400, op);
    const v = violations.find((x) => x.pointer === "/messages/0/role" || x.pointer === "/messages/0");
    expect(v, JSON.stringify(violations)).toBeDefined();
    expect(message).toContain("/messages/0");
    expect(message).toMatch(/"user"/);
  });

  it.runIf(!!chat)(
    "a bad content part in a valid user message names that part only (not the other roles' branches)",
    async () => {
      const op = chat!;
      const body = { ...op.validBody, messages: [{ role: "user", content: [{ type: "image_url" }] }] };
      const { message, violations } = await expectEnvelope(await post(op.path, body), 400, op);
      expect(violations.map((x) => x.pointer)).toContain("/messages/0/content/0/image_url");
      expect(violations.map((x) => x.pointer)).not.toContain("/messages/0/role");
      expect(message).not.toMatch(/must match exactly one schema/);
    },
  );

  it.runIf(!!chat)("a missing role names /messages/0/role as required", async () => {
    const op = chat!;
    const { violations } = await expectEnvelope(
      await post(op.path, { ...op.validBody, messages: [{ content: "hi" }] }),
      400,
      op,
    );
    expect(violations).toContainEqual(expect.objectContaining({ pointer: "/messages/0/role", code: "required" }));
  });

  it.runIf(!!chat)("messages of the wrong type -> 400 naming /messages", async () => {
    const op = chat!;
    const { violations } = await expectEnvelope(await post(op.path, { ...op.validBody, messages: "hi" }), 400, op);
    expect(violations.map((x) => x.pointer)).toContain("/messages");
  });

  const completion = ops.find((o) => (deref(o.requestSchema).required ?? []).includes("prompt"));
  it.runIf(!!completion)("prompt of the wrong type -> 400 naming /prompt", async () => {
    const op = completion!;
    const { violations } = await expectEnvelope(
      await post(op.path, { ...op.validBody, prompt: { text: "hi" } }),
      400,
      op,
    );
    expect(violations.map((x) => x.pointer)).toContain("/prompt");
  });

  it("unknown path -> 404 envelope (with and without the base path)", async () => {
    await expectEnvelope(await post("/nope", {}), 404);
    const res = await fetch(url("/nope").replace("/api/v1/nope", "/v1/chat/completions"), {
      method: "POST",
      headers: AUTH,
    });
    await expectEnvelope(res, 404);
  });

  it("oversized body -> 413 envelope", async () => {
    const op = ops[0]!;
    const big = JSON.stringify({ ...op.validBody, user: "x".repeat(11 * 1024 * 1024) });
    const res = await post(op.path, big).catch(() => undefined);
    // Some clients see the connection closed after the 413; when they do see it, it is the envelope.
    if (res) await expectEnvelope(res, 413);
  });

  it("a pre-stream error of a stream: true request is a JSON envelope, not SSE", async () => {
    const op = ops[0]!;
    const res = await post(op.path, { ...op.validBody, stream: true, temperature: 9 });
    const { violations } = await expectEnvelope(res, 400, op);
    expect(violations.map((x) => x.pointer)).toContain("/temperature");
  });
});
