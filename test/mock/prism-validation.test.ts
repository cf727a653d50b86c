// Prism 5.14.2's own response validator (what `prism proxy` applies to real traffic) on the shapes real traffic
// sends: new open-enum values and the error-only 200 body pass, broken bodies still fail.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { root } from "../support/mock";

const fromCli = createRequire(createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json"));
const prismHttp = fromCli("@stoplight/prism-http") as { getHttpOperationsFromSpec(f: string): Promise<any[]> };
const { validateOutput } = fromCli("@stoplight/prism-http/dist/validator") as {
  validateOutput(i: { resource: unknown; element: unknown }): {
    _tag: "Left" | "Right";
    left?: { path?: string[]; message: string }[];
  };
};

const chat = (message: object) => ({
  id: "gen-1",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "x", ...message } }],
});

describe("Prism's response validator", async () => {
  const ops = await prismHttp.getHttpOperationsFromSpec(`${root}/generated/openapi.json`);
  const op = ops.find((o) => o.path === "/chat/completions" && o.method === "post");
  const check = (statusCode: number, body: unknown) =>
    validateOutput({ resource: op, element: { statusCode, headers: { "content-type": "application/json" }, body } });

  it.each([
    [
      "an unknown reasoning detail type and format",
      200,
      chat({ reasoning_details: [{ type: "reasoning.image", format: "newvendor-v1" }] }),
    ],
    ["the error-only 200 body", 200, { error: { code: 502, message: "Provider returned error" }, user_id: "u" }],
    [
      "an unknown error_type",
      502,
      { error: { code: 502, message: "x", metadata: { error_type: "provider_new_kind" } } },
    ],
    [
      "an unknown availability code",
      404,
      { error: { message: "x", error_type: "not_found", availability: { code: "maintenance_window" } } },
    ],
  ])("accepts %s", (_n, status, body) => {
    expect(check(status, body)._tag).toBe("Right");
  });

  it.each([
    ["choices that are not an array", 200, { ...chat({}), choices: 5 }, "body/choices"],
    [
      "a documented reasoning type without its field",
      200,
      chat({ reasoning_details: [{ type: "reasoning.summary" }] }),
      "body/choices/0/message/reasoning_details/0",
    ],
    [
      "an error_type that is not a string",
      502,
      { error: { code: 502, message: "x", metadata: { error_type: 5 } } },
      "body/error/metadata/error_type",
    ],
  ])("rejects %s", (_n, status, body, path) => {
    const r = check(status, body);
    expect(r._tag).toBe("Left");
    expect(r.left!.map((d) => (d.path ?? []).join("/"))).toContain(path);
  });
});
