import { defineConfig } from "vitest/config";

// `npm run test:generators`: clients made by third-party generators (test/generators/out, written by
// test/generators/generate.mjs) type-checked and called against the mock, plus Spectral on the bundles.
export default defineConfig({
  test: {
    include: ["test/generators/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
