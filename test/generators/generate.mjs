#!/usr/bin/env node
// Runs the generator commands of the README's "Generating clients" section, exactly as written there, with the
// versions pinned in this folder's package.json (a command whose `pkg@version` differs from the pin fails). They run
// in this folder, where `generated` links to the repository's generated/ and the clients land in out/ (git-ignored).
// A `// @ts-nocheck` line in the output (swagger-typescript-api writes one) is removed, so that the strict type
// check in generators.test.ts checks the code instead of skipping it.
// @hey-api/openapi-ts needs Node >= 22.18: when this Node is older, set GENERATOR_NODE to a newer node binary
// (.ci/run uses the node@22 package). Exits non-zero naming the command that failed.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, "../../README.md"), "utf8");
const pins = JSON.parse(readFileSync(join(here, "package.json"), "utf8")).dependencies;

/** The `npx` lines of the first sh block under "## Generating clients", comments removed. */
export function readmeCommands(text) {
  const section = text.slice(text.indexOf("\n## Generating clients"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l.startsWith("npx "));
}

const [major, minor] = process.versions.node.split(".").map(Number);
const newNode = process.env.GENERATOR_NODE || (major > 22 || (major === 22 && minor >= 18) ? process.execPath : "");
const needsNewNode = new Set(["@hey-api/openapi-ts"]);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const commands = readmeCommands(readme);
  if (commands.length < 5) throw new Error(`README: expected the generator commands, found ${commands.length}`);
  rmSync(join(here, "out"), { recursive: true, force: true });
  if (!existsSync(join(here, "generated"))) symlinkSync("../../generated", join(here, "generated"), "dir");
  for (const command of commands) {
    const [, spec, ...args] = command.split(/\s+/);
    const at = spec.lastIndexOf("@");
    const [pkg, version] = [spec.slice(0, at), spec.slice(at + 1)];
    if (pins[pkg] !== version) throw new Error(`README runs ${pkg}@${version}, test/generators pins ${pins[pkg]}`);
    const manifest = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8"));
    const bin = typeof manifest.bin === "string" ? manifest.bin : Object.values(manifest.bin)[0];
    const node = needsNewNode.has(pkg) ? newNode : process.execPath;
    if (!node) throw new Error(`${pkg} needs Node >= 22.18 (this is ${process.version}); set GENERATOR_NODE`);
    // Output folders are created first: not every generator creates missing parent directories.
    for (const a of args) if (/^out\/.+\.ts$/.test(a)) mkdirSync(join(here, dirname(a)), { recursive: true });
    const started = Date.now();
    try {
      execFileSync(node, [join(here, "node_modules", pkg, bin), ...args], {
        cwd: here,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NO_COLOR: "1" },
      });
    } catch (err) {
      process.stderr.write(String(err.stdout ?? "") + String(err.stderr ?? ""));
      console.error(`failed: ${command}`);
      process.exit(1);
    }
    console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${command}`);
  }
  for (const entry of readdirSync(join(here, "out"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const file = join(entry.parentPath ?? entry.path, entry.name);
    const text = readFileSync(file, "utf8");
    if (/^\/\/ @ts-nocheck$/m.test(text)) writeFileSync(file, text.replace(/^\/\/ @ts-nocheck\n/gm, ""));
  }
}
