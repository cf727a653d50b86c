// Structural checks on the bundled spec: OpenAPI 3.1 meta-schema, SSE modelling, X-Generation-Id, the Markdown of
// info.description and freshness of generated/. The error responses (statuses, ErrorResponse body, Retry-After) are
// rules in redocly.yaml, shown to bite in lint-rules.test.ts.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import bundle from "../../generated/openapi.json" with { type: "json" };
import { indexOperations } from "../../src/spec/operations";
import { getAt } from "../../src/spec/pointer";
import { localRef as refOf } from "../../src/spec/ref";
import { deref as derefIn } from "../support/spec";

type JsonObject = { [key: string]: unknown };
const spec = bundle as unknown as {
  openapi: string;
  paths: Record<string, Record<string, JsonObject>>;
  components: Record<string, Record<string, JsonObject>>;
};
const root = fileURLToPath(new URL("../..", import.meta.url));

const deref = (node: unknown): JsonObject => derefIn(node, spec);

const operations = indexOperations(spec).map(({ method, path, pointer, operationId }) => ({
  id: operationId ?? `${method} ${path}`,
  op: getAt(spec, pointer) as JsonObject,
}));

describe("bundled spec", () => {
  test("validates against the OpenAPI 3.1 meta-schema", async () => {
    const validator = new Validator();
    const result = await validator.validate(bundle as unknown as Record<string, unknown>);
    expect(validator.version).toBe("3.1");
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("has both operations", () => {
    expect(operations.map((o) => o.id).sort()).toEqual(["createChatCompletion", "createCompletion"]);
  });

  test.each(operations.map((o) => [o.id, o.op] as const))(
    "%s: text/event-stream names its chunk schema via contentSchema",
    (_id, op) => {
      const media = (deref((op.responses as JsonObject)["200"]).content as JsonObject)["text/event-stream"] as
        | JsonObject
        | undefined;
      expect(media, "200 has a text/event-stream media type").toBeTruthy();
      const stream = deref(media!.schema);
      expect(stream.type).toBe("string");
      expect(stream.contentMediaType).toBe("text/event-stream");
      expect(stream["x-sse-terminator"]).toBe("[DONE]");
      const ref = refOf(stream.contentSchema);
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9]+$/);
      // The named event union: the chunk first, then the error-only event real streams also send.
      const event = deref(stream.contentSchema);
      expect(event.type).toBe("object");
      const members = (event.anyOf as JsonObject[]).map((m) => refOf(m));
      expect(members[1]).toBe("#/components/schemas/StreamErrorEvent");
      const chunk = deref((event.anyOf as JsonObject[])[0]);
      expect(chunk.type).toBe("object");
      expect(Object.keys(chunk.properties as JsonObject)).toEqual(
        expect.arrayContaining(["choices", "usage", "error"]),
      );
    },
  );

  test.each(operations.map((o) => [o.id, o.op] as const))("%s: 200 declares X-Generation-Id", (_id, op) => {
    const headers = (deref((op.responses as JsonObject)["200"]).headers ?? {}) as JsonObject;
    expect(Object.keys(headers)).toContain("X-Generation-Id");
  });

  test("info.description is openapi/info/description.md, verbatim (a $ref to Markdown bundles as a string)", () => {
    const md = readFileSync(`${root}openapi/info/description.md`, "utf8");
    expect(md).toMatch(/^A machine-checkable contract/);
    expect((bundle as { info: { description: string } }).info.description).toBe(md);
  });

  test("generated/ is fresh", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/generate.ts", "--check"], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 150_000);
});
