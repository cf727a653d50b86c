import { defineConfig, type Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

/** The CLI loads Ajv on its first compile (src/conformance/ajv-modules.node.ts), not at start. */
export const lazyAjv: Plugin = {
  name: "lazy-ajv",
  setup(b) {
    b.onResolve({ filter: /\/ajv-modules$/ }, (a) => ({ path: `${a.resolveDir}/ajv-modules.node.ts` }));
  },
};

// One source, two module formats, types for both; the CLI is the bin (Node only). The mock (mock/) is a dev tool and
// is not published. `npm run build` runs these through scripts/build.ts, which also adds the `./schema` types.
export const builds: Options[] = [
  {
    entry: {
      index: "src/client/index.ts",
      raw: "src/client/with-raw.ts",
      "conformance/index": "src/conformance/index.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: false,
    target: "es2022",
    platform: "neutral",
    treeshake: true,
    splitting: false,
    outDir: "dist",
    external: ["openapi-fetch", "eventsource-parser", "ajv", "ajv-formats"],
  },
  {
    // `./replay`: the replay server (node:http, node:fs), kept out of the browser-safe entries above.
    entry: { "replay/index": "src/replay/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: false,
    target: "node20",
    platform: "node",
    outDir: "dist",
    external: ["openapi-fetch", "eventsource-parser", "ajv", "ajv-formats"],
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    dts: false,
    clean: false,
    target: "node20",
    platform: "node",
    outDir: "dist",
    external: ["openapi-fetch", "eventsource-parser", "ajv", "ajv-formats"],
    esbuildPlugins: [lazyAjv],
  },
];

export default defineConfig(builds);
