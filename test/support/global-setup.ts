// vitest globalSetup: starts the mock (Prism + streaming/error-envelope layer, mock/server.ts) on a free port
// and provides its base URL (with the production base path) to every test as inject("apiBaseUrl").
//   TEST_API_BASE_URL=<url>  run the same tests against another server (nothing is started)
//   TEST_SKIP_MOCK=1         start nothing; apiBaseUrl is "" (tests needing a server skip themselves)
//   MOCK_SPEC=<file>         serve another spec (development aid; default generated/openapi.yaml)
import type { TestProject } from "vitest/node";
import { startMock } from "../../mock/server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL with the production base path, e.g. http://127.0.0.1:PORT/api/v1 */
    apiBaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_API_BASE_URL) {
    project.provide("apiBaseUrl", process.env.TEST_API_BASE_URL.replace(/\/+$/, ""));
    return;
  }
  if (process.env.TEST_SKIP_MOCK) {
    project.provide("apiBaseUrl", "");
    return;
  }
  const mock = await startMock({ port: 0, ...(process.env.MOCK_SPEC ? { spec: process.env.MOCK_SPEC } : {}) });
  project.provide("apiBaseUrl", mock.baseUrl);
  // Teardown: closes the layer's sockets and stream timers, then stops Prism by its PID (SIGTERM, SIGKILL after 5 s).
  return async () => {
    await mock.close();
  };
}
