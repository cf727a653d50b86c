// Shared by the benchmarks: bundle one TypeScript entry with esbuild as the package's build does (ESM, one file, the
// runtime dependencies external and loaded from this checkout's node_modules), so no TS loader is measured.
import { join } from "node:path";
import { build } from "esbuild";

export const RUNTIME_DEPS = ["openapi-fetch", "eventsource-parser", "ajv", "ajv-formats"];

/** Bundle `entry` to `outfile` (node20 for Node, es2022 otherwise); `more` adds or overrides esbuild options. */
export async function bundleEntry(root, entry, outfile, { platform = "node", external = RUNTIME_DEPS, ...more } = {}) {
  const target = platform === "node" ? "node20" : "es2022";
  const nodePaths = [join(root, "node_modules")];
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform,
    target,
    outfile,
    external,
    ...more,
    logLevel: "error",
    nodePaths,
  });
  return outfile;
}
