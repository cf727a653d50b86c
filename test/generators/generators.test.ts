// Clients from independent generators, made from the shipped bundles by generate.mjs (run it first; the npm script
// `test:generators` does): each output and its usage file (clients/*.ts) pass `tsc --strict`, and each client makes
// a chat call, a /completions call and an invalid call against the mock; hey-api also streams (openapi.stream.json).
// Spectral's `spectral:oas` ruleset reports nothing on either bundle.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, inject, test } from "vitest";
import bundle from "../../generated/openapi.json" with { type: "json" };
import type { Outcome } from "./clients/common";
import { readmeCommands } from "./generate.mjs";

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

const generators: { name: string; dir: string[]; client: string; streams: boolean }[] = [
  {
    name: "openapi-typescript + openapi-fetch",
    dir: ["out/openapi-typescript/", "clients/openapi-typescript.ts"],
    client: "openapi-typescript",
    streams: false,
  },
  {
    name: "@hey-api/openapi-ts",
    dir: ["out/hey-api/", "out/hey-api-stream/", "clients/hey-api.ts"],
    client: "hey-api",
    streams: true,
  },
  {
    name: "typed-openapi",
    dir: ["out/typed-openapi/", "clients/typed-openapi.ts"],
    client: "typed-openapi",
    streams: false,
  },
  { name: "oazapfts", dir: ["out/oazapfts/", "clients/oazapfts.ts"], client: "oazapfts", streams: false },
  {
    name: "openapi-zod-client",
    dir: ["out/openapi-zod-client/", "clients/openapi-zod-client.ts"],
    client: "openapi-zod-client",
    streams: false,
  },
  {
    name: "swagger-typescript-api",
    dir: ["out/swagger-typescript-api/", "clients/swagger-typescript-api.ts"],
    client: "swagger-typescript-api",
    streams: false,
  },
];

let tscOutput = "";
beforeAll(async () => {
  expect(existsSync(new URL("./out", import.meta.url)), "run `node test/generators/generate.mjs` first").toBe(true);
  // One strict type check over every generated client and usage file; diagnostics are attributed per generator.
  const tsc = new URL("./node_modules/typescript/bin/tsc", import.meta.url);
  try {
    await run(process.execPath, [fileURLToPath(tsc), "-p", "tsconfig.json"], { cwd: here });
  } catch (err) {
    tscOutput = String((err as { stdout?: string }).stdout ?? err);
  }
});

describe.each(generators)("$name", ({ dir, client, streams }) => {
  test("its output and usage pass tsc --strict", () => {
    const ours = tscOutput.split("\n").filter((l) => dir.some((d) => l.startsWith(d)));
    expect(ours).toEqual([]);
  });

  const typedStream = streams ? ", a typed stream" : "";
  test(`calls the mock: chat, /completions, a typed 400 with the violations${typedStream}`, async () => {
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
  });
});

test("the README's commands are the ones run here, one or more per generator in the table", async () => {
  const { readFileSync } = await import("node:fs");
  const commands = readmeCommands(readFileSync(new URL("../../README.md", import.meta.url), "utf8"));
  const outputs = commands.map((c) => /\bout\/([\w-]+)/.exec(c)?.[1]);
  expect(outputs.sort()).toEqual(
    generators.flatMap((g) => g.dir.filter((d) => d.startsWith("out/")).map((d) => d.slice(4, -1))).sort(),
  );
});

test("no generator output is left unchecked", () => {
  const unattributed = tscOutput
    .split("\n")
    .filter((l) => /^\S+\(\d+,\d+\)/.test(l) && !generators.some((g) => g.dir.some((d) => l.startsWith(d))));
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
