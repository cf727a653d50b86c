// Clients from independent generators, made by generate.mjs from the README's lines run verbatim at the repository
// root (the npm script `test:generators` runs it first): each output and its usage file (clients/*.ts) pass
// `tsc --strict`; each client makes a chat call, a /completions call and an invalid call against the mock; each line
// rerun on openapi.stream.json has its expected outcome (generates, tsc, what a streamed call gives); each output
// declares the mock's `error.metadata.violations` exactly when the bundle documents them; the README's lines left
// generated/ untouched. Spectral's `spectral:oas` ruleset reports nothing on either bundle.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, inject, test } from "vitest";
import bundle from "../../generated/openapi.json" with { type: "json" };
import type { Outcome } from "./clients/common";
import { outputOf, readmeCommands } from "./generate.mjs";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const examples = (bundle as { components: { examples: Record<string, { value: unknown }> } }).components.examples;
type J = Record<string, any>;

// What the mock answers, read from the examples it serves (first example of each 200).
const chatText = (examples.ChatCompletionBasic!.value as J).choices[0].message.content as string;
const completionText = (examples.CompletionBasic!.value as J).choices[0].text as string;
const transcript = String(examples.ChatCompletionStreamBasic!.value);
const streamChunks = transcript
  .split("\n")
  .filter((l) => l.startsWith("data: {"))
  .map((l) => JSON.parse(l.slice(6)) as J);
const streamText = streamChunks.map((c) => c.choices[0]?.delta?.content ?? "").join("");

/**
 * One row per generator of the README's table. `dir`: the output folders (and usage file) whose tsc diagnostics are
 * its own; `client`: its usage file in clients/ (a live call against the mock); `streams`: it makes a typed stream
 * method; `streamBundle`: what it does with openapi.stream.json (its README line rerun on that bundle by
 * generate.mjs): generates, passes tsc --strict, and (`runtime`) what its client does with a streamed call.
 */
interface Generator {
  name: string;
  dir: string[];
  client?: string;
  streams: boolean;
  streamBundle: { out: string; generates: boolean; tsc: boolean; runtime?: Outcome["streamBundle"] | "typed stream" };
}
const generators: Generator[] = [
  {
    name: "openapi-typescript + openapi-fetch",
    dir: ["out/openapi-typescript/", "clients/openapi-typescript.ts"],
    client: "openapi-typescript",
    streams: false,
    streamBundle: { out: "openapi-typescript-stream", generates: true, tsc: true, runtime: "throws" },
  },
  {
    name: "@hey-api/openapi-ts",
    dir: ["out/hey-api/", "clients/hey-api.ts"],
    client: "hey-api",
    streams: true,
    streamBundle: { out: "hey-api-stream", generates: true, tsc: true, runtime: "typed stream" },
  },
  {
    name: "typed-openapi",
    dir: ["out/typed-openapi/", "clients/typed-openapi.ts"],
    client: "typed-openapi",
    streams: false,
    streamBundle: { out: "typed-openapi-stream", generates: true, tsc: true },
  },
  {
    name: "oazapfts",
    dir: ["out/oazapfts/", "clients/oazapfts.ts"],
    client: "oazapfts",
    streams: false,
    streamBundle: { out: "oazapfts-stream", generates: true, tsc: true, runtime: "sse text typed as a chunk" },
  },
  {
    name: "openapi-zod-client",
    dir: ["out/openapi-zod-client/", "clients/openapi-zod-client.ts"],
    client: "openapi-zod-client",
    streams: false,
    streamBundle: { out: "openapi-zod-client-stream", generates: true, tsc: true },
  },
  {
    name: "swagger-typescript-api",
    dir: ["out/swagger-typescript-api/", "clients/swagger-typescript-api.ts"],
    client: "swagger-typescript-api",
    streams: false,
    streamBundle: { out: "swagger-typescript-api-stream", generates: true, tsc: true },
  },
  {
    name: "orval (fetch)",
    dir: ["out/orval/", "clients/orval.ts"],
    client: "orval",
    streams: false,
    streamBundle: { out: "orval-stream", generates: true, tsc: true, runtime: "sse text typed as a chunk" },
  },
  {
    name: "orval (zod)",
    dir: ["out/orval-zod/"],
    streams: false,
    streamBundle: { out: "orval-zod-stream", generates: true, tsc: true },
  },
  {
    name: "kubb (plugin-ts, plugin-client fetch)",
    dir: ["out/kubb/", "clients/kubb.ts"],
    client: "kubb",
    streams: false,
    streamBundle: { out: "kubb-stream", generates: true, tsc: true, runtime: "throws" },
  },
  {
    name: "openapi-typescript-codegen (--useUnionTypes)",
    dir: ["out/openapi-typescript-codegen/", "clients/openapi-typescript-codegen.ts"],
    client: "openapi-typescript-codegen",
    streams: false,
    streamBundle: {
      out: "openapi-typescript-codegen-stream",
      generates: true,
      tsc: true,
      runtime: "sse text typed as a chunk",
    },
  },
];

/**
 * Whether the bundle documents the mock's `error.metadata.violations` (ValidationErrorMetadata, in ErrorObject's
 * metadata): while it does, every generator's output must declare the `violations` property.
 */
const schemas = (bundle as { components: { schemas: Record<string, { properties?: object }> } }).components.schemas;
const documentsViolations = Object.values(schemas).some((s) => s.properties && "violations" in s.properties);

/** Files under out/<dir> that declare a `violations` property (type, interface or zod schema), comments aside. */
function declaresViolations(dir: string): boolean {
  const root = fileURLToPath(new URL(dir, import.meta.url));
  if (!existsSync(root)) return false;
  return readdirSync(root, { recursive: true, withFileTypes: true }).some((e) => {
    if (!e.isFile() || !e.name.endsWith(".ts")) return false;
    const text = readFileSync(join(e.parentPath ?? e.path, e.name), "utf8");
    return text.split("\n").some((l) => !/^\s*(\*|\/\/|\/\*)/.test(l) && /\bviolations["']?\??\s*:/.test(l));
  });
}

const run_ = JSON.parse(readFileSync(new URL("./out/run.json", import.meta.url), "utf8")) as {
  commands: string[];
  touched: string[];
  git?: { before?: string; after?: string };
  stream: Record<string, { ok: boolean; error?: string }>;
};

let tscOutput = "";
beforeAll(async () => {
  expect(existsSync(new URL("./out/run.json", import.meta.url)), "run `node test/generators/generate.mjs` first").toBe(
    true,
  );
  // One strict type check over every generated client and usage file; diagnostics are attributed per generator.
  // orval's zod output is written for zod 4 (the repository root has no zod 3 for it to detect), so it is checked
  // against the zod 4 API that zod 3.25 ships as `zod/v4` (tsconfig.zod4.json); openapi-zod-client needs zod 3.
  const tsc = fileURLToPath(new URL("./node_modules/typescript/bin/tsc", import.meta.url));
  for (const project of ["tsconfig.json", "tsconfig.zod4.json"]) {
    try {
      await run(process.execPath, [tsc, "-p", project], { cwd: here, maxBuffer: 64 << 20 });
    } catch (err) {
      tscOutput += String((err as { stdout?: string }).stdout ?? err);
    }
  }
}, 240_000);

const ownLines = (dirs: string[]) => tscOutput.split("\n").filter((l) => dirs.some((d) => l.startsWith(d)));

describe.each(generators)("$name", ({ dir, client, streams, streamBundle }) => {
  test("its output and usage pass tsc --strict", () => {
    expect(ownLines(dir)).toEqual([]);
  });

  if (client) {
    const typedStream = streams ? ", a typed stream" : "";
    test(`calls the mock: chat, /completions, the 400 with the violations${typedStream}`, async () => {
      const baseUrl = inject("apiBaseUrl");
      const mod = (await import(`./clients/${client}.ts`)) as { run(baseUrl: string): Promise<Outcome> };
      const outcome = await mod.run(baseUrl);
      expect(outcome.chat).toBe(chatText);
      expect(outcome.completion).toBe(completionText);
      expect(outcome.badRequest.status).toBe(400);
      expect(outcome.badRequest.code).toBe(400);
      expect(outcome.badRequest.message).toContain("/temperature");
      expect(outcome.badRequest.pointers.sort()).toEqual(["/temperature", "/top_p"]);
      if (streams) {
        expect(outcome.stream?.objects).toEqual(streamChunks.map((c) => c.object));
        expect(outcome.stream?.content).toBe(streamText);
      } else {
        expect(outcome.stream).toBeUndefined();
      }
      const runtime = streamBundle.runtime === "typed stream" ? undefined : streamBundle.runtime;
      expect(outcome.streamBundle, "a streamed call with the client from openapi.stream.json").toBe(runtime);
    });
  }

  test(`openapi.stream.json: generates ${streamBundle.generates}, tsc --strict clean ${streamBundle.tsc}`, () => {
    const generated = streamBundle.out === "hey-api-stream" ? { ok: true } : run_.stream[streamBundle.out];
    expect(generated?.ok, generated?.error).toBe(streamBundle.generates);
    expect(ownLines([`out/${streamBundle.out}/`]).length === 0).toBe(streamBundle.tsc);
  });

  test(`declares error.metadata.violations exactly when the bundle documents them (${documentsViolations})`, () => {
    expect(declaresViolations(dir[0]!)).toBe(documentsViolations);
  });
});

test("the README's lines ran from the repository root and left generated/ as it was", () => {
  const commands = readmeCommands(readFileSync(new URL("../../README.md", import.meta.url), "utf8"));
  expect(run_.commands).toEqual(commands);
  expect(run_.touched).toEqual([]);
  // `git status -- generated` before and after the lines (a clean clone in CI: both empty).
  if (run_.git !== undefined) expect(run_.git.after).toBe(run_.git.before);
});

test("the README's commands are the ones run here, one or more per generator in the table", () => {
  const commands = readmeCommands(readFileSync(new URL("../../README.md", import.meta.url), "utf8"));
  const outputs = commands.map(outputOf);
  const ours = generators.flatMap((g) => g.dir.filter((d) => d.startsWith("out/")).map((d) => d.slice(4, -1)));
  expect(outputs.sort()).toEqual([...ours, "hey-api-stream"].sort());
  // Every other line was rerun on the stream bundle.
  const streamOuts = generators.map((g) => g.streamBundle.out).filter((o) => o !== "hey-api-stream");
  expect(Object.keys(run_.stream).sort()).toEqual(streamOuts.sort());
});

test("no generator output is left unchecked", () => {
  const dirs = generators.flatMap((g) => [...g.dir, `out/${g.streamBundle.out}/`]);
  const unattributed = tscOutput
    .split("\n")
    .filter((l) => /^\S+\(\d+,\d+\)/.test(l) && !dirs.some((d) => l.startsWith(d)));
  expect(unattributed).toEqual([]);
});

test("Spectral (spectral:oas) finds nothing in openapi.json and openapi.stream.json", async () => {
  const spectral = fileURLToPath(new URL("./node_modules/@stoplight/spectral-cli/dist/index.js", import.meta.url));
  const args = [
    spectral,
    "lint",
    "-r",
    ".spectral.yaml",
    "-f",
    "json",
    "--fail-severity",
    "hint",
    "--quiet",
    "../../generated/openapi.json",
    "../../generated/openapi.stream.json",
  ];
  const { stdout } = await run(process.execPath, args, { cwd: here }).catch((err: { stdout?: string }) => ({
    stdout: err.stdout ?? String(err),
  }));
  expect(JSON.parse(stdout || "[]")).toEqual([]);
});
