#!/usr/bin/env node
// Runs the generator lines of the README's "Generating clients" section verbatim, with `sh -c`, from the repository
// root, as a reader would paste them. Only `npx` is swapped, for bin/npx, which runs the version pinned in this
// folder's package.json (offline; a `pkg@version` other than the pin fails). Then:
//   - generated/ must be byte-for-byte what it was (a generator that reads the repository's config and writes
//     elsewhere fails the run);
//   - each line that reads ./generated/openapi.json and has no stream twin in the README runs again on
//     ./generated/openapi.stream.json into out/<name>-stream; its exit status is recorded, not fatal, since the
//     expected outcome per generator (generators.test.ts) may be a failure;
//   - out/ moves into test/generators/out (type-checked and imported there, beside the pinned runtime dependencies),
//     and a `// @ts-nocheck` line (swagger-typescript-api writes one) is removed, so that tsc checks the code.
// Writes out/run.json (the lines run and the stream outcomes) for generators.test.ts. Exits non-zero naming the
// README line that failed. Generators that need Node >= 22.18 run on GENERATOR_NODE (.ci/run uses node@22).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");

/** The lines of the first sh block under "## Generating clients" (comments kept: they are part of what is pasted). */
export function readmeCommands(text) {
  const section = text.slice(text.indexOf("\n## Generating clients"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
}

/** The output folder a README line writes, `out/<name>` (named in the command or its comment). */
export function outputOf(command) {
  return /\bout\/([\w-]+)/.exec(command)?.[1];
}

/** The same line on the stream bundle, into out/<name>-stream. */
export function streamTwin(command) {
  const name = outputOf(command);
  return command
    .replaceAll("./generated/openapi.json", "./generated/openapi.stream.json")
    .replaceAll(`out/${name}`, `out/${name}-stream`);
}

/** sha256 of every file under generated/, by path. */
function snapshot(dir) {
  const out = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = join(e.parentPath ?? e.path, e.name);
    out[relative(dir, file)] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  return out;
}

function sh(command) {
  const env = { ...process.env, NO_COLOR: "1", PATH: `${join(here, "bin")}${delimiter}${process.env.PATH}` };
  const started = Date.now();
  const r = spawnSync("sh", ["-c", command], { cwd: root, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (Date.now() - started) / 1000;
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}`, seconds };
}

function main() {
  const commands = readmeCommands(readFileSync(join(root, "README.md"), "utf8"));
  if (commands.length < 5) throw new Error(`README: expected the generator commands, found ${commands.length}`);
  const before = snapshot(join(root, "generated"));
  const gitBefore = existsSync(join(root, ".git")) ? gitStatus() : undefined;
  rmSync(join(root, "out"), { recursive: true, force: true });
  rmSync(join(here, "out"), { recursive: true, force: true });
  for (const command of commands) {
    const r = sh(command);
    if (!r.ok) {
      process.stderr.write(r.output);
      console.error(`failed (from the repository root): ${command}`);
      process.exit(1);
    }
    console.log(`${r.seconds.toFixed(1).padStart(5)} s  ${command}`);
  }
  const after = snapshot(join(root, "generated"));
  const touched = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => before[f] !== after[f]);
  if (touched.length) {
    console.error(`the README's generator lines changed generated/: ${touched.join(", ")}`);
    process.exit(1);
  }
  const names = new Set(commands.map(outputOf));
  const stream = {};
  for (const command of commands) {
    const name = outputOf(command);
    if (!command.includes("./generated/openapi.json") || names.has(`${name}-stream`)) continue;
    const twin = streamTwin(command);
    const r = sh(twin);
    stream[`${name}-stream`] = { ok: r.ok, error: r.ok ? undefined : lastLines(r.output) };
    console.log(`${r.seconds.toFixed(1).padStart(5)} s  ${r.ok ? "ok    " : "failed"}  ${twin}`);
  }
  renameSync(join(root, "out"), join(here, "out"));
  for (const entry of readdirSync(join(here, "out"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const text = readFileSync(file, "utf8");
    if (/^\/\/ @ts-nocheck$/m.test(text)) writeFileSync(file, text.replace(/^\/\/ @ts-nocheck\n/gm, ""));
  }
  const git = gitBefore === undefined ? undefined : { before: gitBefore, after: gitStatus() };
  writeFileSync(join(here, "out/run.json"), `${JSON.stringify({ commands, touched, git, stream }, null, 2)}\n`);
}

/** `git status --porcelain` of generated/ (also untracked files), or undefined outside a checkout. */
function gitStatus() {
  try {
    return execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", "generated"], {
      cwd: root,
      encoding: "utf8",
    });
  } catch {
    return undefined;
  }
}

const lastLines = (text) => text.trim().split("\n").slice(-3).join("\n").slice(0, 500);

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
