import { defineConfig } from "vitest/config";

// `npm run test:e2e`: the generated Redoc docs, and the client + conformance entry bundled for the browser, in headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core), opened from disk and from the mock's /docs. The globalSetup starts the mock on a free port.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
