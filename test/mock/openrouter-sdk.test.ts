// OpenRouter's own TypeScript SDK (@openrouter/sdk 1.3.19, Speakeasy-generated from OpenRouter's spec) driven
// against every example of POST /chat/completions the mock serves (the SDK has no /completions). It must accept
// each one, except the refusals listed below: there the SDK is stricter than real traffic and the contract stays
// right (DECISIONS.md records why).
import { OpenRouter } from "@openrouter/sdk";
import { describe, expect, it } from "vitest";
import { baseUrl, deref, doc, hasServer, ops } from "../support/mock";

/** `<status> <media type> <example key>` -> the SDK error class it throws instead of returning the body. */
const EXPECTED_REFUSALS: Record<string, string> = {
  // A 200 whose body is only {error, user_id}: real traffic; the SDK's ChatResult requires id, choices, etc.
  "200 application/json error_body": "ResponseValidationError",
  // Availability errors as documented: no error.code (error_type + http_status instead); the SDK requires code.
  "404 application/json error": "ResponseValidationError",
  "503 application/json error": "ResponseValidationError",
};

const chatOp = ops.find((o) => o.path.endsWith("/chat/completions"));

interface Case {
  key: string;
  status: number;
  mediaType: string;
  name: string;
  value: any;
}
const cases: Case[] = Object.entries<any>(chatOp?.responses ?? {}).flatMap(([status, r]) =>
  Object.entries<any>(deref(r).content ?? {}).flatMap(([mediaType, m]) =>
    Object.entries<any>(m.examples ?? {}).map(([name, ex]) => ({
      key: `${status} ${mediaType} ${name}`,
      status: Number(status),
      mediaType,
      name,
      value: deref(ex).value,
    })),
  ),
);

const dataEvents = (transcript: string) =>
  transcript
    .split(/\n\n/)
    .filter((b) => b.startsWith("data:") && b.trim() !== "data: [DONE]")
    .map((b) => JSON.parse(b.slice(5)));

describe.skipIf(!hasServer || !chatOp)("@openrouter/sdk 1.3.19 against the mock", () => {
  const sdk = new OpenRouter({ apiKey: "sk-or-v1-test", serverURL: baseUrl, retryConfig: { strategy: "none" } });
  const body = chatOp!.validBody as { model: string; messages: { role: "user"; content: string }[] };

  it("reaches every example of the operation, and the refusal list names only real examples", () => {
    expect(cases.length).toBeGreaterThan(15);
    expect(Object.keys(EXPECTED_REFUSALS).filter((k) => !cases.some((c) => c.key === k))).toEqual([]);
    expect(doc.paths["/chat/completions"]).toBeTruthy();
  });

  it.each(cases.map((c) => [c.key, c] as const))("%s", async (key, c) => {
    const stream = c.mediaType === "text/event-stream";
    const call = sdk.chat.send(
      { chatRequest: { model: body.model, messages: body.messages, stream } as never },
      { headers: { Prefer: `code=${c.status}, example=${c.name}` } },
    );
    const refusal = EXPECTED_REFUSALS[key];
    if (refusal) {
      const err = await Promise.resolve(call).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err?.constructor?.name, "expected refusal").toBe(refusal);
      return;
    }
    if (c.status >= 400) {
      const err = (await Promise.resolve(call).then(
        () => undefined,
        (e: unknown) => e,
      )) as { statusCode?: number; message?: string } | undefined;
      expect(err, "the SDK throws its typed error for the status").toBeDefined();
      expect(err!.constructor.name).toMatch(/ResponseError$/);
      expect(err!.statusCode).toBe(c.status);
      expect(err!.message).toBe(c.value.error.message);
      return;
    }
    const result = (await call) as any;
    if (stream) {
      const chunks: any[] = [];
      for await (const chunk of result) chunks.push(chunk);
      const expected = dataEvents(c.value);
      expect(chunks.map((x) => x.id)).toEqual(expected.map((x) => x.id));
      expect(chunks.map((x) => x.choices.length)).toEqual(expected.map((x) => x.choices.length));
    } else {
      expect(result.id).toBe(c.value.id);
      expect(result.choices.map((x: any) => x.finishReason)).toEqual(c.value.choices.map((x: any) => x.finish_reason));
    }
  });
});
