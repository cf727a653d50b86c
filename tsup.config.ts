import { copyFileSync } from "node:fs";
import { defineConfig } from "tsup";

// One source, two module formats, types for both. The CLI is the bin (node only). The mock (mock/) is a dev tool
// and is not published.
export default defineConfig([
  {
    entry: { index: "src/client/index.ts", "conformance/index": "src/conformance/index.ts" },
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
    // The `./schema` export: the generated types as they are, for both module formats (after `clean` emptied dist/).
    async onSuccess() {
      for (const ext of ["d.ts", "d.cts"]) copyFileSync("generated/schema.d.ts", `dist/schema.${ext}`);
    },
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
  },
]);
