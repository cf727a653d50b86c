// A failing anyOf/oneOf is reported as the failure of the branch the value was meant for (src/conformance/unions.ts):
// the branch whose tags it carries, else the one sharing most of its properties, so the message names the real
// problem (a real 429's `provider_name: null`) and not a field of another branch (`patterns`).
import { describe, expect, it } from "vitest";
import { loadContract, validateResponse } from "../../src/conformance/index";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const spec = (metadata: unknown, schemas: Record<string, unknown>) => ({
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: {
    "/e": {
      post: {
        operationId: "e",
        responses: {
          "400": {
            description: "error",
            content: {
              "application/json": {
                schema: { type: "object", properties: { error: { type: "object", properties: { metadata } } } },
              },
            },
          },
        },
      },
    },
  },
  components: { schemas },
});

const errorMetadata = spec(
  { anyOf: [ref("Moderation"), ref("Guardrail"), ref("Provider"), { type: "null" }] },
  {
    Moderation: {
      type: "object",
      required: ["reasons", "flagged_input"],
      properties: { reasons: { type: "array" }, flagged_input: { type: "string" }, provider_name: { type: "string" } },
    },
    Guardrail: { type: "object", required: ["patterns"], properties: { patterns: { type: "array" } } },
    Provider: {
      type: "object",
      properties: { provider_name: { type: "string" }, raw: {}, headers: { type: "object" } },
    },
  },
);

const tagged = spec(
  { oneOf: [ref("Text"), ref("Image")] },
  {
    Text: {
      type: "object",
      required: ["type", "text"],
      properties: { type: { const: "text" }, text: { type: "string" } },
    },
    Image: {
      type: "object",
      required: ["type", "image_url"],
      properties: { type: { const: "image" }, image_url: { type: "object", required: ["url"] }, detail: {} },
    },
  },
);

const check = (s: unknown, metadata: unknown) =>
  validateResponse("e", 400, "application/json", { error: { metadata } }, { contract: loadContract(s as never) }).map(
    (v) => [v.instancePath, v.message],
  );

describe("a failing union reports its best-matching branch", () => {
  it("most properties in common: a 429's provider_name: null is named, not another branch's required field", () => {
    const vs = check(errorMetadata, { headers: { "X-RateLimit-Limit": "1" }, provider_name: null });
    expect(vs).toEqual([["/error/metadata/provider_name", "must be string"]]);
  });

  it("required fields a branch lacks count against it", () => {
    // provider_name is declared by Moderation and Provider; Moderation also requires two absent fields.
    expect(check(errorMetadata, { provider_name: 5 })).toEqual([["/error/metadata/provider_name", "must be string"]]);
  });

  it("a value with one branch's fields gets that branch's errors", () => {
    const vs = check(errorMetadata, { reasons: [], flagged_input: 3, provider_name: 1 });
    expect(vs.sort()).toEqual([
      ["/error/metadata/flagged_input", "must be string"],
      ["/error/metadata/provider_name", "must be string"],
    ]);
  });

  it("the tag decides first: an image part with a text field is judged as an image", () => {
    const vs = check(tagged, { type: "image", text: "x", image_url: {} });
    expect(vs).toEqual([["/error/metadata/image_url/url", "is required but missing"]]);
  });

  it("a non-object value falls back to the branch that got furthest", () => {
    expect(check(errorMetadata, 7).map(([p]) => p)).toEqual(["/error/metadata"]);
  });

  it("on the bundled contract: a 402 whose provider_name is a number names provider_name", () => {
    const body = { error: { code: 402, message: "m", metadata: { provider_name: 5, headers: {} } } };
    const vs = validateResponse("createChatCompletion", 402, "application/json", body);
    expect(vs.map((v) => v.instancePath)).toEqual(["/error/metadata/provider_name"]);
  });
});
