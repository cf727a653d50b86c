// A proxy per test for the proxy suites: started on an upstream with the given options, its log and record lines
// collected, closed after each test.
import { afterEach } from "vitest";
import { startProxy, type ProxyHandle, type ProxyOptions } from "../../src/cli/proxy/server";
import type { Contract } from "../../src/conformance/index";

export interface ProxyPerTest {
  /** Start this test's proxy (the options override the defaults); the previous one is closed after each test. */
  start(o?: Partial<ProxyOptions>): Promise<ProxyHandle>;
  readonly proxy: ProxyHandle | undefined;
  readonly logs: string[];
  readonly records: string[];
}

export function proxyPerTest(upstream: () => string, contract: Contract): ProxyPerTest {
  let proxy: ProxyHandle | undefined;
  let logs: string[] = [];
  let records: string[] = [];
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });
  return {
    async start(o = {}) {
      logs = [];
      records = [];
      const lines = { log: (l: string) => logs.push(l), record: (l: string) => records.push(l) };
      proxy = await startProxy({ upstream: upstream(), contract, ...lines, ...o });
      return proxy;
    },
    get proxy() {
      return proxy;
    },
    get logs() {
      return logs;
    },
    get records() {
      return records;
    },
  };
}
