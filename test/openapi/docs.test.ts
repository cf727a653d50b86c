// Documentation completeness of the bundled spec and of the Redoc page:
// - every operation has x-codeSamples for curl, this package's TypeScript client and raw fetch, each also as a
//   streaming variant (that Redoc shows them, their labels being configured ones, is a rule in redocly.yaml);
// - the TypeScript/JavaScript samples are the files under openapi/code_samples/, which type-check against the
//   package's own sources (as do the README's examples);
// - every operation states the SSE framing, and the root description has its overview sections;
// - generated/docs/index.html is self-contained and lists both operations.
// Descriptions (of schemas, properties, parameters, headers, request bodies) are rules in redocly.yaml, shown to
// bite in lint-rules.test.ts.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
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
const samplesDir = join(root, "openapi/code_samples");
const tsc = (project: string) =>
  spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", project], {
    cwd: root,
    encoding: "utf8",
  });
const serverUrl = spec.servers[0]!.url;

const operations = indexOperations(spec).map(({ method, path, pointer, operationId }) => {
  const op = getAt(spec, pointer) as JsonObject;
  return { id: operationId ?? `${method} ${path}`, path, op, samples: (op["x-codeSamples"] ?? []) as CodeSample[] };
});
const byOperation = operations.map((o) => [o.id, o] as const);

const isCurl = (s: CodeSample) => s.lang.toLowerCase() === "curl" || /^\s*curl\b/m.test(s.source);
const isClient = (s: CodeSample) =>
  s.lang.toLowerCase() === "typescript" && s.source.includes('from "openrouter-contract"');
const isFetch = (s: CodeSample) =>
  /\bfetch\(/.test(s.source) && !s.source.includes("openrouter-contract") && !isCurl(s);
const streams = (s: CodeSample) => /"?stream"?: true/.test(s.source);

describe("code samples", () => {
  test.each(byOperation)(
    "%s: curl, TypeScript client and fetch samples, each also streaming",
    (_id, { path, samples }) => {
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
      for (const s of clientStream)
        expect(s.source, `${s.label} iterates the stream`).toMatch(/for await \(const \w+ of /);

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
    },
  );

  test("each TypeScript/JavaScript sample is a file under openapi/code_samples, and every file is used", () => {
    const files = readdirSync(samplesDir, { recursive: true, encoding: "utf8" }).filter((f) => /\.\w+$/.test(f));
    const used = new Set<string>();
    for (const { id, samples } of operations) {
      for (const s of samples) {
        const ext = { typescript: ".ts", javascript: ".js" }[s.lang.toLowerCase()];
        if (!ext) continue;
        const file = files.find((f) => f.endsWith(ext) && readFileSync(join(samplesDir, f), "utf8") === s.source);
        expect(file, `${id}: ${s.label} comes from a ${ext} file`).toBeDefined();
        used.add(file!);
      }
    }
    expect(used.size).toBeGreaterThanOrEqual(operations.length * 4);
    const code = files.filter((f) => /\.(ts|js)$/.test(f));
    expect(
      code.filter((f) => !used.has(f)),
      "sample files no operation references",
    ).toEqual([]);
  });

  test("the sample files type-check against src/ (code-samples.tsconfig.json)", { timeout: 120_000 }, () => {
    const r = tsc(join(root, "test/openapi/code-samples.tsconfig.json"));
    expect(r.stdout + r.stderr, "tsc output").toBe("");
    expect(r.status).toBe(0);
  });

  test("the README's TypeScript examples type-check against src/", { timeout: 120_000 }, () => {
    const base = join(root, ".tmp");
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(join(base, "docs-samples-"));
    try {
      const readme = readFileSync(join(root, "README.md"), "utf8");
      const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(blocks.length).toBeGreaterThanOrEqual(2);
      for (const [i, b] of blocks.entries()) writeFileSync(join(dir, `readme-${i}.ts`), b);
      // Same settings as the spec's samples: "openrouter-contract" resolves to src/, every file is a module.
      const config = { extends: "../../test/openapi/code-samples.tsconfig.json", include: ["./*.ts"] };
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
      const r = tsc(join(dir, "tsconfig.json"));
      expect(r.stdout + r.stderr, "tsc output").toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("streaming framing and overview", () => {
  test.each(byOperation)("%s: summary and description state the SSE framing", (_id, { op }) => {
    expect(String(op.summary ?? "")).toMatch(/\S/);
    const d = String(op.description ?? "");
    for (const s of ["text/event-stream", "OPENROUTER PROCESSING", "data: [DONE]", 'finish_reason: "error"', "usage"]) {
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
