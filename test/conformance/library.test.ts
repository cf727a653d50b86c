import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { build } from "esbuild";
import { createClientValidator, loadContract, validateRequest } from "../../src/conformance/index";
import { tinySpec } from "../support/tiny-spec";

describe("library entry", () => {
  it("bundles for the browser: no node: imports in the conformance graph", async () => {
    const r = await build({
      entryPoints: [fileURLToPath(new URL("../../src/conformance/index.ts", import.meta.url))],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const inputs = Object.keys(r.metafile!.inputs);
    expect(inputs.filter((i) => i.startsWith("node:") || /src\/conformance\/node\//.test(i))).toEqual([]);
  });
  it("loading a contract compiles nothing until the first validation", () => {
    const c = loadContract();
    expect((c as any).validators.ajvs.size).toBe(0);
    expect(c.operations.map((o) => o.operationId).sort()).toEqual(["createChatCompletion", "createCompletion"]);
    const v = createClientValidator();
    expect(v.validateRequest("createChatCompletion", {})[0]).toMatchObject({
      check: "request_body_schema",
      severity: "error",
    });
    expect((c as any).validators.ajvs.size).toBeGreaterThan(0);
  });
  it("range violations say what was expected and what was sent", () => {
    const base = { model: "m", messages: [{ role: "user", content: "hi" }] };
    const [topP] = validateRequest("createChatCompletion", { ...base, top_p: 0 });
    expect(topP).toMatchObject({ instancePath: "/top_p", expected: "> 0", actual: 0, message: "must be > 0" });
    expect(topP!.schemaPath).toBe("#/components/schemas/CreateChatCompletionRequest/properties/top_p/exclusiveMinimum");
    const [temp] = validateRequest("createCompletion", { model: "m", prompt: "p", temperature: 2.5 });
    expect(temp).toMatchObject({ instancePath: "/temperature", expected: "<= 2", actual: 2.5 });
  });

  it("a discriminated union names its allowed tags; a missing tag is a missing required property", () => {
    const roles = ["system", "developer", "user", "assistant", "tool"];
    const [unknown] = validateRequest("createChatCompletion", {
      model: "m",
      messages: [{ role: "wizard", content: "hi" }],
    });
    expect(unknown).toMatchObject({ instancePath: "/messages/0/role", expected: roles, actual: "wizard" });
    expect(unknown!.message).toBe(`must be one of ${roles.map((r) => JSON.stringify(r)).join(", ")}`);
    const [missing] = validateRequest("createChatCompletion", { model: "m", messages: [{ content: "hi" }] });
    expect(missing).toMatchObject({ instancePath: "/messages/0/role", expected: "present", actual: "absent" });
    expect(missing!.message).toMatch(/^is required \(one of "system"/);
  });

  it("finds operations by operationId, path and METHOD path; unknown ones throw", async () => {
    const c = loadContract();
    expect(c.operation("/chat/completions")?.operationId).toBe("createChatCompletion");
    expect(c.operation("POST /completions")?.operationId).toBe("createCompletion");
    const { validateRequest } = await import("../../src/conformance/index");
    expect(() => validateRequest("nope", {})).toThrow(/unknown operation/);
  });
  it("checks documented request header parameters (required, schema) in exchanges", async () => {
    const { checkExchange } = await import("../../src/conformance/index");
    const spec = tinySpec({
      parameters: [
        { name: "X-Mode", in: "header", required: true, schema: { type: "string", enum: ["a", "b"] } },
        { name: "X-Count", in: "header", schema: { type: "integer", maximum: 3 } },
      ],
    });
    const contract = loadContract(spec);
    const rec = (headers: Record<string, string>) => ({
      v: 1 as const,
      request: { method: "POST", url: "/x", headers },
      response: { status: 200, headers: {} },
    });
    expect(checkExchange(rec({ "x-mode": "a", "x-count": "2" }), { contract }).violations).toEqual([]);
    expect(checkExchange(rec({}), { contract }).violations.map((v) => [v.check, v.message])).toEqual([
      ["request_required_headers", "required request header x-mode missing"],
    ]);
    expect(
      checkExchange(rec({ "x-mode": "c", "x-count": "9" }), { contract })
        .violations.map((v) => `${v.location} ${v.schemaPath.split("/").pop()}`)
        .sort(),
    ).toEqual(["request.headers.x-count maximum", "request.headers.x-mode enum"]);
  });
  it("accepts a user-supplied spec object and OAS 3.2 itemSchema streams", async () => {
    const spec = {
      openapi: "3.2.0",
      info: { title: "t", version: "1" },
      paths: {
        "/s": {
          post: {
            operationId: "s",
            responses: {
              "200": {
                description: "ok",
                content: {
                  "text/event-stream": {
                    itemSchema: {
                      type: "object",
                      properties: {
                        data: {
                          type: "string",
                          contentMediaType: "application/json",
                          contentSchema: { type: "object", required: ["n"], properties: { n: { type: "integer" } } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    };
    const { checkStream } = await import("../../src/conformance/index");
    const contract = loadContract(spec);
    expect(checkStream("s", 'data: {"n":1}\n\ndata: [DONE]\n\n', { contract })).toEqual([]);
    const vs = checkStream("s", 'data: {"n":"x"}\n\ndata: [DONE]\n\n', { contract });
    expect(vs.map((v) => [v.check, v.instancePath])).toEqual([["sse_chunk_schema", "/events/0/data/n"]]);
    expect(() => loadContract({ openapi: "3.0.3", paths: {} })).toThrow(/3\.1/);
  });
});
