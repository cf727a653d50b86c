// Documentation completeness of the bundled spec and of the Redoc page (issue 6, "Docs"):
// - every operation has x-codeSamples for curl, this package's TypeScript client and raw fetch, each also as a
//   streaming variant, and Redoc actually shows them (their labels are configured in redocly.yaml);
// - the TypeScript/JavaScript samples type-check against the package's own sources;
// - every schema and every property has a description (a `$ref` property may rely on the description of the
//   schema it points to: Redoc shows that one when the property has none);
// - every operation states the SSE framing, and the root description has its overview sections;
// - generated/docs/index.html is self-contained and lists both operations.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import bundle from "../../generated/openapi.json" with { type: "json" };
import { indexOperations } from "../../src/spec/operations";
import { getAt } from "../../src/spec/pointer";

type JsonObject = { [key: string]: unknown };
interface CodeSample {
  lang: string;
  label?: string;
  source: string;
}
const spec = bundle as unknown as {
  info: { description?: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, JsonObject>>;
  components: Record<string, Record<string, JsonObject>>;
};
const root = fileURLToPath(new URL("../..", import.meta.url));
const serverUrl = spec.servers[0]!.url;

const operations = indexOperations(spec).map(({ method, path, pointer, operationId }) => {
  const op = getAt(spec, pointer) as JsonObject;
  return { id: operationId ?? `${method} ${path}`, path, op, samples: (op["x-codeSamples"] ?? []) as CodeSample[] };
});
const byOperation = operations.map((o) => [o.id, o] as const);

const described = (node: unknown): boolean => {
  const d = (node as JsonObject | undefined)?.description;
  return typeof d === "string" && d.trim().length > 0;
};
const resolve = (ref: string) => getAt(spec, ref) as JsonObject | undefined;

/** Every property (at any depth, also inside items/oneOf/allOf/...) of a schema, with its JSON pointer. */
function properties(node: unknown, pointer: string, out: [string, JsonObject][] = []): [string, JsonObject][] {
  if (!node || typeof node !== "object") return out;
  if (Array.isArray(node)) {
    node.forEach((n, i) => properties(n, `${pointer}/${i}`, out));
    return out;
  }
  for (const [key, value] of Object.entries(node as JsonObject)) {
    // Literal values, not subschemas.
    if (["examples", "example", "default", "const", "enum", "x-examples"].includes(key)) continue;
    if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
      for (const [name, prop] of Object.entries(value as JsonObject)) {
        out.push([`${pointer}/properties/${name}`, prop as JsonObject]);
        properties(prop, `${pointer}/properties/${name}`, out);
      }
    } else {
      properties(value, `${pointer}/${key}`, out);
    }
  }
  return out;
}

const isCurl = (s: CodeSample) => s.lang.toLowerCase() === "curl" || /^\s*curl\b/m.test(s.source);
const isClient = (s: CodeSample) => s.lang.toLowerCase() === "typescript" && s.source.includes('from "openrouter-contract"');
const isFetch = (s: CodeSample) => /\bfetch\(/.test(s.source) && !s.source.includes("openrouter-contract") && !isCurl(s);
const streams = (s: CodeSample) => /"?stream"?: true/.test(s.source);

describe("code samples", () => {
  test.each(byOperation)("%s: curl, TypeScript client and fetch samples, each also streaming", (_id, { path, samples }) => {
    for (const s of samples) {
      expect(s.lang, JSON.stringify(s).slice(0, 80)).toMatch(/\S/);
      expect(s.label, `${s.lang} sample has a label`).toMatch(/\S/);
      expect(s.source.trim().length, `${s.label} has a source`).toBeGreaterThan(0);
      if (!isClient(s)) expect(s.source, `${s.label} calls ${path}`).toContain(`${serverUrl}${path}`);
    }
    const labels = samples.map((s) => s.label);
    expect(new Set(labels).size, "labels are unique (Redoc shows one sample per label)").toBe(labels.length);

    const curl = samples.filter(isCurl);
    expect(curl.filter((s) => !streams(s)).length, "curl JSON sample").toBeGreaterThan(0);
    const curlStream = curl.filter(streams);
    expect(curlStream.length, "curl streaming sample").toBeGreaterThan(0);
    for (const s of curlStream) expect(s.source, `${s.label} disables buffering`).toMatch(/curl -N\b/);
    for (const s of curl) expect(s.source).toContain("Authorization: Bearer $OPENROUTER_API_KEY");

    const client = samples.filter(isClient);
    expect(client.filter((s) => !streams(s)).length, "TypeScript client JSON sample").toBeGreaterThan(0);
    const clientStream = client.filter(streams);
    expect(clientStream.length, "TypeScript client streaming sample").toBeGreaterThan(0);
    for (const s of clientStream) expect(s.source, `${s.label} iterates the stream`).toMatch(/for await \(const \w+ of /);

    const raw = samples.filter(isFetch);
    expect(raw.filter((s) => !streams(s)).length, "fetch JSON sample").toBeGreaterThan(0);
    const rawStream = raw.filter(streams);
    expect(rawStream.length, "fetch streaming sample").toBeGreaterThan(0);
    for (const s of rawStream) {
      expect(s.source, `${s.label} skips SSE comments`).toContain('startsWith(":")');
      expect(s.source, `${s.label} names the keep-alive`).toContain("OPENROUTER PROCESSING");
      expect(s.source, `${s.label} stops at the terminator`).toContain('"[DONE]"');
      expect(s.source, `${s.label} handles the mid-stream error chunk`).toMatch(/chunk\.error/);
    }
  });

  test("Redoc shows every sample: each label is a language configured in redocly.yaml", () => {
    // Redoc only renders samples whose label (or lang) matches an entry of openapi.codeSamples.languages.
    const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8")) as {
      openapi?: { codeSamples?: { languages?: { lang: string; label?: string }[] } };
    };
    const configured = new Set((config.openapi?.codeSamples?.languages ?? []).map((l) => (l.label ?? l.lang).toLowerCase()));
    for (const { id, samples } of operations) {
      for (const s of samples) expect(configured.has((s.label ?? s.lang).toLowerCase()), `${id}: ${s.label}`).toBe(true);
    }
  });

  test("TypeScript and JavaScript samples (spec and README) type-check against src/", { timeout: 120_000 }, () => {
    const base = join(root, ".tmp");
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(join(base, "docs-samples-"));
    try {
      const files: string[] = [];
      for (const { id, samples } of operations) {
        for (const [i, s] of samples.entries()) {
          if (!["typescript", "javascript"].includes(s.lang.toLowerCase())) continue;
          const name = `${id}-${i}.ts`;
          const src = s.source.replaceAll('from "openrouter-contract"', 'from "../../src/client/index"');
          // Samples without imports are scripts; make them modules so top-level await and names are per file.
          writeFileSync(join(dir, name), /^import /m.test(src) ? src : `${src}\nexport {};\n`);
          files.push(name);
        }
      }
      expect(files.length).toBeGreaterThanOrEqual(operations.length * 4);
      // The README's TypeScript examples are held to the same bar.
      const readme = readFileSync(join(root, "README.md"), "utf8");
      const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(blocks.length).toBeGreaterThanOrEqual(2);
      for (const [i, b] of blocks.entries()) {
        const src = b
          .replaceAll('from "openrouter-contract/conformance"', 'from "../../src/conformance/index"')
          .replaceAll('from "openrouter-contract"', 'from "../../src/client/index"');
        writeFileSync(join(dir, `readme-${i}.ts`), `${src}\nexport {};\n`);
      }
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.json", include: ["./*.ts"] }));
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      const r = spawnSync(process.execPath, [tsc, "--noEmit", "-p", join(dir, "tsconfig.json")], { cwd: root, encoding: "utf8" });
      expect(r.stdout + r.stderr, "tsc output").toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("descriptions", () => {
  const schemas = Object.entries(spec.components.schemas ?? {});

  test("every schema has a description", () => {
    expect(schemas.length).toBeGreaterThan(0);
    expect(schemas.filter(([, s]) => !described(s)).map(([name]) => name)).toEqual([]);
  });

  test("every property has a description (its own, or for a $ref the referenced schema's)", () => {
    const all = schemas.flatMap(([name, s]) => properties(s, `#/components/schemas/${name}`));
    expect(all.length).toBeGreaterThan(100);
    const missing = all
      .filter(([, prop]) => {
        if (described(prop)) return false;
        const ref = prop.$ref;
        return typeof ref !== "string" || !described(resolve(ref));
      })
      .map(([pointer]) => pointer);
    expect(missing).toEqual([]);
  });

  test("every non-$ref property has its own description", () => {
    const missing = schemas
      .flatMap(([name, s]) => properties(s, `#/components/schemas/${name}`))
      .filter(([, prop]) => typeof prop.$ref !== "string" && !described(prop))
      .map(([pointer]) => pointer);
    expect(missing).toEqual([]);
  });

  test("every parameter, header, response and request body has a description", () => {
    const missing: string[] = [];
    for (const section of ["parameters", "headers", "responses", "requestBodies"]) {
      for (const [name, c] of Object.entries(spec.components[section] ?? {})) if (!described(c)) missing.push(`${section}/${name}`);
    }
    for (const { id, op } of operations) {
      if (op.requestBody && !described(op.requestBody)) missing.push(`${id} requestBody`);
      for (const [status, r] of Object.entries((op.responses ?? {}) as JsonObject)) {
        if (!described(r) && !(typeof (r as JsonObject).$ref === "string")) missing.push(`${id} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe("streaming framing and overview", () => {
  test.each(byOperation)("%s: summary and description state the SSE framing", (_id, { op }) => {
    expect(String(op.summary ?? "")).toMatch(/\S/);
    const d = String(op.description ?? "");
    for (const s of ["text/event-stream", "OPENROUTER PROCESSING", "data: [DONE]", "finish_reason: \"error\"", "usage"]) {
      expect(d, s).toContain(s);
    }
  });

  test("the root description has Authentication, Streaming, Errors and Deviations sections", () => {
    const d = spec.info.description ?? "";
    for (const h of ["Authentication", "Streaming", "Errors", "Deviations from OpenRouter's published spec"]) {
      expect(d, h).toMatch(new RegExp(`^## ${h}$`, "m"));
    }
    expect(d).toContain("OPENROUTER PROCESSING");
    expect(d).toContain("data: [DONE]");
  });
});

describe("Redoc page (generated/docs/index.html)", () => {
  const html = readFileSync(join(root, "generated/docs/index.html"), "utf8");

  test("lists both operations", () => {
    for (const { op } of operations) expect(html).toContain(String(op.summary));
    expect(html).toContain("Create a text completion");
    expect(html).toContain("Create a chat completion");
  });

  test("is self-contained (no scripts, styles or fonts from the network)", () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link[^>]*\shref=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
  });

  test("carries the code samples and their language tabs", () => {
    expect(html).toContain("curl -N");
    expect(html).toContain("for await");
    expect(html).toContain('"codeSamples":{"languages":');
  });
});
