// The shipped bundles are in the form client generators read alike (scripts/normalize-bundle.ts), the request
// fields defined once in the source are written out in each request schema (scripts/inline-shared-properties.ts),
// and the streaming form (scripts/stream-bundle.ts) has one typed SSE response per streaming operation.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { Validator } from "@seriousme/openapi-schema-validator";
import bundle from "../../generated/openapi.json" with { type: "json" };
import streamDoc from "../../generated/openapi.stream.json" with { type: "json" };
import { docsBundle } from "../../scripts/docs-bundle";
import { inlineSharedProperties } from "../../scripts/inline-shared-properties";
import { knownName, normalizeBundle } from "../../scripts/normalize-bundle";
import { isBareString, localRefs, openEnum } from "../../src/spec/schema-shapes";
import { streamBundle } from "../../scripts/stream-bundle";
import { deref, schemaValidators } from "../support/spec";

type J = { [key: string]: any };
const main = bundle as J;
const stream = streamDoc as J;

const isStringEnum = (s: unknown) => (s as J | undefined)?.type === "string" && Array.isArray((s as J).enum);

/** A validator for a `#/components/...` pointer of `doc`. */
const compile = (doc: J, pointer: string) => schemaValidators(doc).at(pointer);

/** Every schema object under components.schemas, with its pointer (examples are never visited). */
function schemaNodes(doc: J): [string, J][] {
  const out: [string, J][] = [];
  const visit = (s: unknown, ptr: string) => {
    if (!s || typeof s !== "object" || Array.isArray(s)) return;
    const n = s as J;
    out.push([ptr, n]);
    for (const k of ["properties", "patternProperties"])
      for (const [p, v] of Object.entries(n[k] ?? {})) visit(v, `${ptr}/${k}/${p}`);
    for (const k of ["allOf", "anyOf", "oneOf", "prefixItems"])
      for (const [i, v] of ((n[k] ?? []) as unknown[]).entries()) visit(v, `${ptr}/${k}/${i}`);
    for (const k of ["items", "additionalProperties", "not", "contentSchema"]) visit(n[k], `${ptr}/${k}`);
  };
  for (const [name, s] of Object.entries(doc.components.schemas)) visit(s, `#/components/schemas/${name}`);
  return out;
}

describe("generator-friendly form of generated/openapi.json", () => {
  const nodes = schemaNodes(main);

  test("no enum lists null: nullable enums are anyOf [{enum}, {type: null}]", () => {
    expect(nodes.filter(([, s]) => Array.isArray(s.enum) && s.enum.includes(null)).map(([p]) => p)).toEqual([]);
    // The enum may be an open enum's `…Known` component, behind a ref.
    const hasEnum = (b: J) =>
      b.enum || (typeof b.$ref === "string" && (localRefs(main)(b.$ref) as J | undefined)?.enum);
    const nullable = nodes.filter(([, s]) => s.anyOf?.some((b: J) => b.type === "null") && s.anyOf.some(hasEnum));
    expect(nullable.map(([p]) => p)).toContain("#/components/schemas/FinishReason");
  });

  test("every string const also has its one-value enum; a boolean const stands alone (both bundles)", () => {
    for (const doc of [main, stream]) {
      const consts = schemaNodes(doc).filter(([, s]) => "const" in s);
      expect(consts.length).toBeGreaterThan(50);
      const want = (s: J) => (typeof s.const === "string" ? JSON.stringify([s.const]) : undefined);
      expect(consts.filter(([, s]) => JSON.stringify(s.enum) !== want(s)).map(([p]) => p)).toEqual([]);
    }
    expect(stream.components.schemas.CreateChatCompletionStreamRequest.allOf[1].properties.stream).toEqual({
      description: expect.any(String),
      const: true,
    });
  });

  test("the docs view shows each fixed value once: no one-value enum beside a const", () => {
    const docs = schemaNodes(docsBundle(main));
    expect(docs.filter(([, s]) => "const" in s).length).toBeGreaterThan(50);
    expect(docs.filter(([, s]) => "const" in s && "enum" in s).map(([p]) => p)).toEqual([]);
    expect(main.components.schemas.ChatCompletion.properties.object.enum).toEqual(["chat.completion"]);
  });

  test("every open enum's known values are a closed `<Owner><Property…>Known` component (both bundles)", () => {
    for (const doc of [main, stream]) {
      const resolve = localRefs(doc);
      const open = schemaNodes(doc).filter(([, s]) => Array.isArray(s.anyOf) && s.anyOf.some(isBareString));
      const known = (b: J) => isStringEnum(b) || (typeof b.$ref === "string" && isStringEnum(resolve(b.$ref)));
      const withEnum = open.filter(([, s]) => s.anyOf.some(known));
      expect(withEnum.length).toBeGreaterThanOrEqual(4);
      for (const [ptr, s] of withEnum) {
        const found = openEnum(s, resolve);
        const owner = /^#\/components\/schemas\/([^/]+)/.exec(ptr)![1]!;
        expect(found?.knownRef, ptr).toBe(`#/components/schemas/${knownName(owner, ptr)}`);
        expect(s.anyOf.filter(isStringEnum), `${ptr}: no inline known values`).toEqual([]);
      }
    }
    expect(main.components.schemas.ApiErrorType.anyOf[0]).toEqual({ $ref: "#/components/schemas/ApiErrorTypeKnown" });
    expect(main.components.schemas.ApiErrorTypeKnown.enum).toContain("rate_limit_exceeded");
  });

  test("no schema has a default; the default is stated in the description", () => {
    expect(nodes.filter(([, s]) => "default" in s).map(([p]) => p)).toEqual([]);
    const stream = main.components.schemas.CreateChatCompletionRequest.properties.stream;
    expect(stream.description).toMatch(/Default: `false`\./);
  });

  test("request bodies say additionalProperties: true, ProviderPreferences stays closed", () => {
    for (const name of ["CreateChatCompletionRequest", "CreateCompletionRequest"]) {
      expect(main.components.schemas[name].additionalProperties, name).toBe(true);
    }
    expect(main.components.schemas.ProviderPreferences.additionalProperties).toBe(false);
  });

  test("header parameters are strings (fetch headers)", () => {
    const params = Object.entries(main.components.parameters as J).filter(([, p]) => p.in === "header");
    expect(params.filter(([, p]) => p.schema?.type !== "string").map(([n]) => n)).toEqual([]);
  });

  test("the rewrites accept and reject the same values", async () => {
    const { parse } = await import("yaml");
    // A small authoring-form schema with every rewritten construct, before and after.
    const before = parse(`
      openapi: 3.1.0
      info: {title: t, version: "1"}
      paths:
        /x:
          post:
            requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Req'}}}}
            responses: {"200": {description: ok}}
      components:
        schemas:
          Req:
            type: object
            properties:
              route: {type: [string, 'null'], enum: [fallback, sort, null], default: fallback}
              kind: {type: string, const: a}
    `) as J;
    const after = normalizeBundle(structuredClone(before));
    expect(after.components.schemas.Req.additionalProperties).toBe(true);
    const v1 = compile(before, "#/components/schemas/Req");
    const v2 = compile(after, "#/components/schemas/Req");
    for (const value of [
      {},
      { route: null },
      { route: "sort" },
      { route: "x" },
      { route: 1 },
      { kind: "a" },
      { kind: "b" },
      { extra: 1 },
    ]) {
      expect(v2(value), JSON.stringify(value)).toBe(v1(value));
    }
  });
});

describe("request fields shared by both operations (openapi/shared/request-properties.yaml)", () => {
  const source = new URL("../../openapi/shared/request-properties.yaml", import.meta.url);
  const shared = parseYaml(readFileSync(source, "utf8")) as J;
  const requests = ["CreateCompletionRequest", "CreateChatCompletionRequest"].map((n) => main.components.schemas[n]);

  test("each is written out, the same, in both request schemas, and none is a named component", () => {
    const names = Object.keys(shared);
    expect(names.length).toBeGreaterThanOrEqual(26);
    for (const name of names) {
      const [completion, chat] = requests.map((r) => r.properties[name]);
      expect(completion, name).toBeDefined();
      expect(chat, name).toEqual(completion);
      expect(main.components.schemas[name], name).toBeUndefined();
    }
    expect(JSON.stringify(main)).not.toContain("request-properties");
  });

  test("a field with its own schema is inlined (copied per use), a named schema's $ref stays a $ref", () => {
    const [completion, chat] = requests;
    expect(completion.properties.temperature).toMatchObject({ type: ["number", "null"], minimum: 0, maximum: 2 });
    expect(completion.properties.temperature).not.toBe(chat.properties.temperature);
    expect(completion.properties.stop).toEqual({ $ref: "#/components/schemas/StopSequences" });
  });

  test("inlineSharedProperties replaces each hoisted component by its definition and refuses $ref siblings", () => {
    const doc = () => ({
      components: {
        schemas: {
          top_k: { type: "integer", minimum: 1 },
          A: { type: "object", properties: { top_k: { $ref: "#/components/schemas/top_k" } } },
          B: { type: "object", properties: { k: { $ref: "#/components/schemas/top_k" } } },
        },
      },
    });
    const out = inlineSharedProperties(doc() as J, { top_k: {}, unused: {} });
    expect(out.components.schemas).toEqual({
      A: { type: "object", properties: { top_k: { type: "integer", minimum: 1 } } },
      B: { type: "object", properties: { k: { type: "integer", minimum: 1 } } },
    });
    const sibling = doc() as J;
    sibling.components.schemas.A.properties.top_k.description = "x";
    expect(() => inlineSharedProperties(sibling, { top_k: {} })).toThrow(/siblings/);
  });
});

describe("streaming form generated/openapi.stream.json", () => {
  const ops = Object.values(stream.paths as J).map((item) => item.post as J);

  test("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(stream);
    expect(result.errors ?? []).toEqual([]);
  });

  test("is exactly what the stream transform makes of the main bundle", () => {
    expect(streamBundle(main)).toEqual(stream);
  });

  test.each(ops.map((op) => [op.operationId, op]))("%s: 200 is text/event-stream with the chunk schema", (_id, op) => {
    const mainOp = Object.values(main.paths as J).find((i) => i.post.operationId === op.operationId).post;
    const chunkRef = deref(mainOp.responses["200"].content["text/event-stream"].schema, main).contentSchema.$ref;
    expect(Object.keys(op.responses["200"].content)).toEqual(["text/event-stream"]);
    expect(op.responses["200"].content["text/event-stream"].schema).toEqual({ $ref: chunkRef });
    // The errors are the main bundle's.
    expect(Object.keys(op.responses)).toEqual(Object.keys(mainOp.responses));
  });

  test.each(ops.map((op) => [op.operationId, op]))(
    "%s: the body requires stream: true and its examples stream",
    (_id, op) => {
      const ref: string = op.requestBody.content["application/json"].schema.$ref;
      const validate = compile(stream, ref);
      expect(validate({ model: "m", messages: [{ role: "user", content: "hi" }], prompt: "hi", stream: true })).toBe(
        true,
      );
      expect(validate({ model: "m", messages: [{ role: "user", content: "hi" }], prompt: "hi" })).toBe(false);
      expect(validate({ model: "m", messages: [{ role: "user", content: "hi" }], prompt: "hi", stream: false })).toBe(
        false,
      );
      for (const e of Object.values(op.requestBody.content["application/json"].examples ?? {}) as J[]) {
        const value = deref(e, stream).value;
        expect(value.stream).toBe(true);
      }
    },
  );

  test("keeps no component that nothing refers to", () => {
    const text = JSON.stringify({ ...stream, components: undefined });
    const reachable = new Set<string>();
    const queue = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    while (queue.length) {
      const ref = queue.pop()!;
      if (reachable.has(ref)) continue;
      reachable.add(ref);
      const [, kind, name] = ref.split("/").slice(1);
      queue.push(
        ...[...JSON.stringify(stream.components[kind!][name!]).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!),
      );
    }
    for (const [kind, group] of Object.entries(stream.components as J)) {
      if (kind === "securitySchemes") continue;
      for (const name of Object.keys(group))
        expect(reachable, `${kind}/${name}`).toContain(`#/components/${kind}/${name}`);
    }
    expect(stream.components.schemas.ChatCompletion).toBeUndefined();
    expect(stream.components.schemas.ChatCompletionChunk).toBeDefined();
  });
});
