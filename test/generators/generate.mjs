#!/usr/bin/env node
// Generates a client with each third-party generator from the shipped bundles into out/ (git-ignored):
//   out/openapi-typescript/schema.d.ts     openapi-typescript with its default options (openapi.json)
//   out/hey-api, out/hey-api-stream        @hey-api/openapi-ts  (openapi.json, openapi.stream.json)
//   out/typed-openapi/api.ts               typed-openapi        (openapi.json)
//   out/oazapfts/api.ts                    oazapfts             (openapi.json)
//   out/swagger-typescript-api/*.ts        swagger-typescript-api (openapi.json)
// A `// @ts-nocheck` line in the output (swagger-typescript-api writes one) is removed, so that the strict type check
// in generators.test.ts checks the code instead of skipping it. Exits non-zero naming the generator that failed. @hey-api/openapi-ts needs Node >= 22.18: when this Node is
// older, set GENERATOR_NODE to a newer node binary (.ci/run uses the node@22 package).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, "../../generated/openapi.json");
const streamBundle = join(here, "../../generated/openapi.stream.json");
const out = join(here, "out");
const bin = (name) => join(here, "node_modules/.bin", name); // npm's links to each package's bin script

const [major, minor] = process.versions.node.split(".").map(Number);
const newNode = process.env.GENERATOR_NODE || (major > 22 || (major === 22 && minor >= 18) ? process.execPath : "");

const generators = [
  ["openapi-typescript", process.execPath, [bin("openapi-typescript"), bundle, "-o", join(out, "openapi-typescript/schema.d.ts")]],
  ["@hey-api/openapi-ts", newNode, [bin("openapi-ts"), "-i", bundle, "-o", join(out, "hey-api"), "-c", "@hey-api/client-fetch"]],
  ["@hey-api/openapi-ts (stream)", newNode, [bin("openapi-ts"), "-i", streamBundle, "-o", join(out, "hey-api-stream"), "-c", "@hey-api/client-fetch"]],
  // typed-openapi joins -o to the working directory, so it gets a relative path.
  ["typed-openapi", process.execPath, [bin("typed-openapi"), bundle, "-o", "out/typed-openapi/api.ts"]],
  ["oazapfts", process.execPath, [bin("oazapfts"), bundle, join(out, "oazapfts/api.ts")]],
  // --modular: one file per concern; in a single file its own `ResponseFormat` helper type clashes with ours.
  ["swagger-typescript-api", process.execPath, [bin("swagger-typescript-api"), "generate", "-p", bundle, "-o", join(out, "swagger-typescript-api"), "--modular"]],
];

rmSync(out, { recursive: true, force: true });
for (const [name, node, args] of generators) {
  if (!node) {
    console.error(`${name}: needs Node >= 22.18 (this is ${process.version}); set GENERATOR_NODE=/path/to/node22`);
    process.exit(1);
  }
  mkdirSync(join(out, "typed-openapi"), { recursive: true });
  mkdirSync(join(out, "oazapfts"), { recursive: true });
  const started = Date.now();
  try {
    execFileSync(node, args, { cwd: here, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  } catch (err) {
    process.stderr.write(String(err.stdout ?? "") + String(err.stderr ?? ""));
    console.error(`${name}: generation failed`);
    process.exit(1);
  }
  console.log(`${name}: generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  const text = readFileSync(file, "utf8");
  if (/^\/\/ @ts-nocheck$/m.test(text)) writeFileSync(file, text.replace(/^\/\/ @ts-nocheck\n/gm, ""));
}
