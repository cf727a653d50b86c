import { defineConfig } from "vitest/config";

// Package checks: run after `npm run build` (see `npm run test:package`). The mock serves the consumer smoke test.
export default defineConfig({
  test: {
    include: ["test/package/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
