// Consumer smoke test: install the packed tarball into a fresh project, then use it the way a user would —
// ESM and CJS imports of the client and the conformance entry, a JSON and a streaming call against the mock,
// `tsc` under moduleResolution node16 and bundler, and the CLI through `npx` (the proxy in front of the mock too).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "orc-consumer-"));
const baseUrl = inject("apiBaseUrl");
const npm = (args: string[]) =>
  execFileSync("npm", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const run = (cmd: string, args: string[], input?: string) =>
  spawnSync(cmd, args, {
    cwd: dir,
    encoding: "utf8",
    input,
    env: { ...process.env, BASE_URL: baseUrl, NODE_OPTIONS: "" },
  });

const ESM = `
import { createOpenRouterClient, RateLimitError } from "openrouter-contract";
import { validateRequest } from "openrouter-contract/conformance";
import { withRaw } from "openrouter-contract/raw";
const client = createOpenRouterClient({ apiKey: "sk-or-v1-consumer", baseUrl: process.env.BASE_URL, maxRetries: 0 });
const messages = [{ role: "user", content: "Hello" }];
const json = await client.chat.completions.create({ model: "openai/gpt-4o", messages });
const chunks = [];
const stream = await client.chat.completions.create({ model: "openai/gpt-4o", messages, stream: true });
for await (const c of stream) chunks.push(c.object);
const bad = validateRequest("createChatCompletion", { model: "m", messages, temperature: 3 });
const raw = await withRaw(client).raw.POST("/chat/completions", { body: { model: "openai/gpt-4o", messages } });
console.log(JSON.stringify({
  rawStatus: raw.response.status,
  object: json.object,
  chunks: chunks.length,
  chunkObject: chunks[0],
  bad: bad.map((v) => v.instancePath),
  errClass: typeof RateLimitError,
}));
`;
const CJS = `
const { createOpenRouterClient } = require("openrouter-contract");
const { validateResponse } = require("openrouter-contract/conformance");
const { withRaw } = require("openrouter-contract/raw");
(async () => {
  const client = createOpenRouterClient({ apiKey: "sk-or-v1-consumer", baseUrl: process.env.BASE_URL, maxRetries: 0 });
  const body = { model: "openai/gpt-3.5-turbo-instruct", prompt: "Say hi" };
  const json = await client.completions.create(body);
  let n = 0;
  const stream = await client.completions.create({ ...body, stream: true });
  for await (const c of stream) n++;
  const ok = validateResponse("createCompletion", 200, "application/json", json);
  if (typeof withRaw(client).raw.POST !== "function") throw new Error("withRaw: no raw client");
  const violations = ok.filter((v) => v.severity === "error").length;
  console.log(JSON.stringify({ object: json.object, chunks: n, violations }));
})().catch((e) => { console.error(e); process.exit(1); });
`;
// Every exported error class, by its printed names: String(err), the first line of an uncaught trace
// (util.inspect) and the constructor's name. A bundler that renames a class (\`_NotFoundError\`) fails here.
const NAMES = (load: string) => `
const lib = ${load};
const { inspect } = require("node:util");
const out = {};
for (const [k, C] of Object.entries(lib)) {
  if (!/Error$/.test(k) || typeof C !== "function") continue;
  const e = new C("boom");
  out[k] = [String(e), inspect(e).split("\\n")[0], C.name];
}
console.log(JSON.stringify(out));
`;
const TS = `
import { createOpenRouterClient, type ChatCompletion } from "openrouter-contract";
import { loadContract, validateRequest, type Violation } from "openrouter-contract/conformance";
import type { components } from "openrouter-contract/schema";
import { withRaw, type RawClient } from "openrouter-contract/raw";

type Req = components["schemas"]["CreateChatCompletionRequest"];
const body = { model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], temperature: 0.2 } satisfies Req;
const client = createOpenRouterClient({ apiKey: "k" });
export const raw: RawClient = withRaw(client).raw;
export async function go(): Promise<string | null | undefined> {
  const res: ChatCompletion = await client.chat.completions.create(body);
  const v: Violation[] = validateRequest("createChatCompletion", body, { contract: loadContract() });
  void v;
  // @ts-expect-error temperature must be a number: proves the types are real, not any
  await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "x" }], temperature: "hot" });
  return res.choices?.[0]?.message.content as string | null | undefined;
}
`;

beforeAll(() => {
  const tarball = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
      cwd: root,
      encoding: "utf8",
    }),
  )[0].filename as string;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  npm([
    "install",
    "--no-audit",
    "--no-fund",
    "--prefer-offline",
    join(dir, tarball),
    "typescript@5.9.3",
    "@types/node@20.19.43",
  ]);
  writeFileSync(join(dir, "esm.mjs"), ESM);
  writeFileSync(join(dir, "cjs.cjs"), CJS);
  writeFileSync(join(dir, "consumer.ts"), TS);
  writeFileSync(join(dir, "names.cjs"), NAMES('require("openrouter-contract")'));
  writeFileSync(
    join(dir, "names.mjs"),
    `import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
${NAMES('await import("openrouter-contract")')}`,
  );
  const base = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    types: ["node"],
  };
  writeFileSync(
    join(dir, "tsconfig.node16.json"),
    JSON.stringify({
      compilerOptions: { ...base, module: "node16", moduleResolution: "node16" },
      files: ["consumer.ts"],
    }),
  );
  writeFileSync(
    join(dir, "tsconfig.bundler.json"),
    JSON.stringify({
      compilerOptions: { ...base, module: "esnext", moduleResolution: "bundler" },
      files: ["consumer.ts"],
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("installed from the tarball", () => {
  test.runIf(baseUrl)("ESM: client JSON + stream calls and request validation", () => {
    const r = run("node", ["esm.mjs"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      rawStatus: 200,
      object: "chat.completion",
      chunkObject: "chat.completion.chunk",
      bad: ["/temperature"],
      errClass: "function",
    });
    expect(out.chunks).toBeGreaterThan(1);
  });

  test.runIf(baseUrl)("CJS: client JSON + stream calls and response validation", () => {
    const r = run("node", ["cjs.cjs"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.object).toBe("text_completion");
    expect(out.chunks).toBeGreaterThan(1);
    expect(out.violations).toBe(0);
  });

  test.each(["names.cjs", "names.mjs"])("%s: error classes print their own names, not the bundler's", (file) => {
    const r = run("node", [file]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout) as Record<string, string[]>;
    expect(Object.keys(out)).toContain("NotFoundError");
    expect(String(out.NotFoundError?.[0])).toMatch(/^NotFoundError: boom/);
    for (const [name, printed] of Object.entries(out))
      expect(printed, name).toEqual([`${name}: boom`, `${name}: boom`, name]);
  });

  test.each(["node16", "bundler"])("tsc type-checks a consumer under moduleResolution %s", (mode) => {
    const r = run("npx", ["tsc", "-p", `tsconfig.${mode}.json`]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("the CLI runs through npx", () => {
    const help = run("npx", ["openrouter-contract", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/check/);
    const bad = run(
      "npx",
      ["openrouter-contract", "validate", "createChatCompletion", "request", "-"],
      JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], top_p: 0 }),
    );
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toContain("/top_p");
    const good = run(
      "npx",
      ["openrouter-contract", "validate", "createChatCompletion", "request", "-"],
      JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    );
    expect(good.status).toBe(0);
  });

  test("the installed bin explains a failing payload with the shipped explainers, without loading Ajv", () => {
    // A --require hook reports every load of ajv or ajv-formats; the explainers are generated/explainers.cjs.
    const hook = join(dir, "trace-ajv.cjs");
    writeFileSync(
      hook,
      `const Module = require("node:module");
const load = Module._load;
Module._load = function (request, ...rest) {
  if (/^ajv(-formats)?(\\/|$)/.test(request)) process.stderr.write("LOADED " + request + "\\n");
  return load.call(this, request, ...rest);
};`,
    );
    const bin = join(dir, "node_modules", "openrouter-contract", "dist", "cli.js");
    const body = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], top_p: 0, temperature: 9 });
    const args = ["--require", hook, bin, "validate", "createChatCompletion", "request", "-"];
    const shipped = run("node", args, body);
    expect(shipped.status).toBe(1);
    expect(shipped.stdout).toMatch(/\/temperature: must be <= 2[\s\S]*\/top_p: must be > 0/);
    expect(shipped.stderr).not.toContain("LOADED");
    // Another spec (one description changed) is not the one they were built from: compiled at run time, same findings.
    const spec = JSON.parse(
      readFileSync(join(dir, "node_modules", "openrouter-contract", "generated", "openapi.json"), "utf8"),
    );
    spec.info.description += " (a copy)";
    writeFileSync(join(dir, "other.json"), JSON.stringify(spec));
    const other = run("node", [...args, "--spec", join(dir, "other.json")], body);
    expect(other.stdout).toBe(shipped.stdout);
    expect(other.stderr).toContain("LOADED ajv");
  });

  test("the installed bin's proxy forwards a streamed call to the mock, stops on SIGINT with its summary", async () => {
    const bin = join(dir, "node_modules/.bin/openrouter-contract");
    const child = spawn(bin, ["proxy", "--upstream", baseUrl, "--port", "0"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    for (let i = 0; i < 600 && !/listening on (\S+)/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (\S+)/.exec(out)![1]!;
    const res = await fetch(`${url}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-or-v1-consumer", "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Hello" }], stream: true }),
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    expect(await res.text()).toMatch(/data: \[DONE\]/);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(out).toMatch(/1 exchange checked .*0 error/);
    expect(out).not.toMatch(/check worker|main thread|stopped before/); // the bin checked the stream in its own worker
  });
});
