// Positive/negative data against the mock: generated requests are accepted, single-field
// mutations are rejected with 400/422, and every mock response passes our own checkExchange.
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { checkExchange, type ExchangeRecord } from "../../src/conformance/index";
import { generateRequest, ops } from "../support/conformance";
import { mutationsFor } from "./mutations";

const baseUrl = inject("apiBaseUrl");
const RUNS = Number(process.env.CONFORMANCE_MOCK_RUNS ?? 1000);

async function post(path: string, body: unknown): Promise<ExchangeRecord> {
  const headers = { "content-type": "application/json", authorization: "Bearer sk-or-v1-test" };
  // Unpaced streams: this test is about validity, not timing (other servers ignore the header).
  const res = await fetch(baseUrl + path, {
    method: "POST",
    headers: { ...headers, "x-mock-stream-delay-ms": "0" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  const ct = res.headers.get("content-type") ?? "";
  const rec: ExchangeRecord = {
    v: 1,
    request: { method: "POST", url: baseUrl + path, headers: { ...headers, authorization: "[REDACTED]" }, body },
    response: { status: res.status, headers: Object.fromEntries(res.headers), complete: true },
  };
  if (/json/.test(ct)) {
    try {
      rec.response!.body = JSON.parse(text);
    } catch {
      rec.response!.bodyText = text;
    }
  } else rec.response!.bodyText = text;
  return rec;
}

const errorsOf = (rec: ExchangeRecord) => checkExchange(rec).violations.filter((v) => v.severity === "error");

describe.skipIf(!baseUrl).each(ops().map((o) => [o.operationId!, o] as const))("%s against the mock", (_id, op) => {
  const mutations = mutationsFor(op);
  it(`positive: ${RUNS} generated requests get 200 and a conforming response`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), async (seed, stream) => {
        const body = { ...generateRequest(op, seed), stream: stream && seed % 10 === 0 }; // some streaming runs
        const rec = await post(op.path, body);
        expect(rec.response!.status, JSON.stringify(rec.response!.body ?? rec.response!.bodyText).slice(0, 500)).toBe(
          200,
        );
        expect(errorsOf(rec)).toEqual([]);
      }),
      { numRuns: RUNS, seed: 4242 },
    );
  }, 300_000);
  it(`negative: ${RUNS} single-field mutations are rejected (400/422) with a conforming error body`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.nat({ max: mutations.length - 1 }),
        async (seed, mi) => {
          const m = mutations[mi]!;
          const body = { ...generateRequest(op, seed), stream: false };
          const mutated = m.apply(body);
          if (JSON.stringify(mutated) === JSON.stringify(body)) return;
          const rec = await post(op.path, mutated);
          expect([400, 422], `${m.kind} ${m.pointer}`).toContain(rec.response!.status);
          // The mock names the violation: its envelope lists the mutated pointer.
          const named =
            (rec.response!.body as { error?: { metadata?: { violations?: { pointer: string }[] } } })?.error?.metadata
              ?.violations ?? [];
          expect(
            named.map((v) => v.pointer),
            `${m.kind} ${m.pointer}`,
          ).toContain(m.pointer);
          // Our validator flags the request at the mutated pointer; the response itself must conform.
          const vs = checkExchange(rec).violations;
          expect(vs.filter((v) => v.check === "request_body_schema").map((v) => v.instancePath)).toContain(m.pointer);
          expect(vs.filter((v) => v.severity === "error" && !v.check.startsWith("request_"))).toEqual([]);
        },
      ),
      { numRuns: RUNS, seed: 2424 },
    );
  }, 300_000);
});
