// Every union of object shapes (messages, content parts, response formats, plugins, reasoning details, annotations,
// tools, ...) is `type: object`, so a non-object member is rejected by every validator, as the mock does. Without
// it, Ajv's discriminator keyword let `messages: [5]` through while the mock answered 400.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSchema, validate } from "@hyperjump/json-schema/openapi-3-1";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { validateRequest } from "../../src/conformance/index";
import { contract, spec } from "../support/conformance";
import { deref as derefIn } from "../support/spec";

const ID = "https://openrouter-contract.invalid/unions/openapi.json";
beforeAll(() => registerSchema(structuredClone(spec) as never, ID, "https://spec.openapis.org/oas/3.1/dialect/base"));

const isObjectSchema = (n: any): boolean => {
  const s = derefIn(n, spec);
  if (!s) return false;
  if (s.type === "object") return true;
  const members = s.anyOf ?? s.oneOf;
  return Array.isArray(members) && members.every(isObjectSchema);
};

const BASE = { model: "openai/gpt-4o", messages: [{ role: "user", content: "Hi" }] };
const BAD: [string, Record<string, unknown>, string][] = [
  ["messages: [5]", { model: "m", messages: [5] }, "/messages/0"],
  ["messages: [null]", { model: "m", messages: [null] }, "/messages/0"],
  ["content: [5]", { model: "m", messages: [{ role: "user", content: [5] }] }, "/messages/0/content/0"],
  ["content: [null]", { model: "m", messages: [{ role: "user", content: [null] }] }, "/messages/0/content/0"],
  ["response_format: 7", { ...BASE, response_format: 7 }, "/response_format"],
  ["plugins: [0]", { ...BASE, plugins: [0] }, "/plugins/0"],
  ['tools: ["x"]', { ...BASE, tools: ["x"] }, "/tools/0"],
  [
    "assistant reasoning_details: [1]",
    { model: "m", messages: [{ role: "assistant", content: "a", reasoning_details: [1] }] },
    "/messages/0/reasoning_details/0",
  ],
  [
    "assistant annotations: [true]",
    { model: "m", messages: [{ role: "assistant", content: "a", annotations: [true] }] },
    "/messages/0/annotations/0",
  ],
  ["stop_server_tools_when: [3]", { ...BASE, stop_server_tools_when: [3] }, "/stop_server_tools_when/0"],
];

describe("unions of objects reject non-objects", () => {
  it("every component union whose members are all objects declares type: object itself", () => {
    const unions = Object.entries<any>(spec.components.schemas).filter(
      ([, s]) => (s.anyOf ?? s.oneOf) && isObjectSchema(s),
    );
    expect(unions.length).toBeGreaterThanOrEqual(10);
    expect(unions.filter(([, s]) => s.type !== "object").map(([n]) => n)).toEqual([]);
  });

  it.each(BAD)("%s: the library names the member, hyperjump agrees", async (_name, body, pointer) => {
    const vs = validateRequest("createChatCompletion", body);
    expect(vs.map((v) => [v.instancePath, v.message])).toContainEqual([pointer, "must be object"]);
    const ptr = contract.operation("createChatCompletion")!.request!.content[0]!.schemaPointer!;
    expect(((await validate(ID + ptr, body as never)) as { valid: boolean }).valid).toBe(false);
  });

  const base = inject("apiBaseUrl");
  it.skipIf(!base).each(BAD)("%s: the mock answers 400 naming the same pointer", async (_name, body, pointer) => {
    const res = await fetch(`${base}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-or-v1-test", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    const violations = (await res.json()).error.metadata.violations as { pointer: string }[];
    expect(violations.map((v) => v.pointer)).toContain(pointer);
  });

  it("the CLI's validate command exits 1 for messages: [5]", () => {
    const dir = mkdtempSync(join(tmpdir(), "orc-union-"));
    writeFileSync(join(dir, "body.json"), JSON.stringify({ model: "m", messages: [5] }));
    let code = 0;
    let out = "";
    try {
      execFileSync(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "validate", "createChatCompletion", "request", join(dir, "body.json")],
        { encoding: "utf8" },
      );
    } catch (e: any) {
      code = e.status;
      out = String(e.stdout);
    }
    expect(code).toBe(1);
    expect(out).toContain("/messages/0");
  }, 30_000);
});
