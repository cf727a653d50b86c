import { defineConfig } from "vitest/config";

// Suites that take seconds each (spawned servers and processes, 1000-run fuzzing, tsc programs): `npm run test:slow`,
// which .ci/run runs after `npm test`, so the default run stays within its time budget (README, "Quick start").
const slow = [
  "test/conformance/fuzz-against-mock.test.ts", // 4 x 1000 requests against the mock
  "test/docs/readme-commands.test.ts", // the README's shell commands, `npm start` included
  "test/mock/start.test.ts", // `npm start` as a process, stopped by signal
  "test/mock/hostile.test.ts", // million-item bodies, slow uploads, extra mocks
  "test/cli/proxy.test.ts", // the proxy bin as a process, the openai SDK through it
  "test/openapi/docs.test.ts", // two tsc programs (code samples, README examples)
];

// One config, five projects; pick one with `vitest run --project <name>` (the npm scripts do). Every project starts
// the mock (Prism + streaming/envelope layer) on a free port in its globalSetup, unless TEST_API_BASE_URL is set.
//   unit        `npm test`: spec, corpus, mock, client, conformance, CLI, docs snippet, type tests
//   slow        `npm run test:slow`: the long-running suites above (same timeouts as unit)
//   e2e         `npm run test:e2e`: the generated Redoc docs, and the client + conformance entry bundled for the
//               browser, in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core), opened from
//               disk and from the mock's /docs
//   package     `npm run test:package`: after `npm run build`, what npm pack ships and a consumer project using it
//   generators  `npm run test:generators`: clients made by third-party generators (test/generators/out, written by
//               test/generators/generate.mjs) type-checked and called against the mock, plus Spectral on the bundles
export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**", "test/package/**", "test/generators/**", "node_modules/**", ...slow],
          typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.typecheck.json" },
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: "slow", include: slow, testTimeout: 20_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "package",
          include: ["test/package/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: "generators",
          include: ["test/generators/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
