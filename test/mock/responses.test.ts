// Every documented status and example of both operations is reachable over HTTP (Prefer: code=…, example=…), and
// every request example is accepted. Statuses, example keys and headers come from the bundle.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AUTH,
  JSON_CT,
  baseUrl,
  deref,
  exampleValue,
  hasServer,
  ops,
  post,
  readEvents,
  root,
  splitTranscript,
  url,
  validatorFor,
} from "../support/mock";

describe.skipIf(!hasServer)("documented responses are reachable", () => {
  it("the bundle has both operations", () => {
    expect(ops.length).toBeGreaterThanOrEqual(2);
  });

  for (const op of ops) {
    describe(`${op.operationId} (${op.method.toUpperCase()} ${op.path})`, () => {
      const reqMedia = deref(op.op.requestBody)?.content?.["application/json"] ?? {};
      for (const [key, ex] of Object.entries<any>(reqMedia.examples ?? {})) {
        it(`accepts request example '${key}'`, async () => {
          const body = exampleValue(ex);
          const res = await post(op.path, body);
          expect(res.status, await res.clone().text()).toBe(200);
          const type = res.headers.get("content-type") ?? "";
          expect(type).toMatch(body.stream === true ? /^text\/event-stream/ : /^application\/json/);
          await res.arrayBuffer();
        });
      }

      for (const [status, response] of Object.entries(op.responses)) {
        for (const [mediaType, media] of Object.entries<any>(response.content ?? {})) {
          const keys = Object.keys(media.examples ?? {});
          const sse = mediaType === "text/event-stream";
          it(`Prefer: code=${status} answers ${status} ${mediaType} with its declared headers`, async () => {
            const res = await post(
              op.path,
              { ...op.validBody, ...(sse ? { stream: true } : {}) },
              { prefer: `code=${status}` },
            );
            expect(res.status).toBe(Number(status));
            expect(res.headers.get("content-type") ?? "").toContain(mediaType);
            for (const name of Object.keys(response.headers ?? {}))
              expect(res.headers.has(name), `header ${name}`).toBe(true);
            if (!sse) {
              const body = await res.json();
              const validate = validatorFor(media.schema);
              expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
              // error.code is optional (availability errors carry http_status instead); when present it is the status.
              if (Number(status) >= 400) expect(body.error.code ?? body.error.http_status).toBe(Number(status));
            } else await res.arrayBuffer();
          });
          for (const key of keys) {
            it(`Prefer: code=${status}, example=${key} (${mediaType}) returns that example`, async () => {
              const res = await post(
                op.path,
                { ...op.validBody, ...(sse ? { stream: true } : {}) },
                { prefer: `code=${status}, example=${key}`, "x-mock-stream-delay-ms": "0" },
              );
              expect(res.status).toBe(Number(status));
              const value = exampleValue(media.examples[key]);
              if (sse) {
                const { events } = await readEvents(res);
                expect(events.map((e) => e.raw)).toEqual(splitTranscript(value));
              } else {
                expect(await res.json()).toEqual(value);
              }
            });
          }
        }
      }

      it("answers on the bare path too (without the base path)", async () => {
        const bare = baseUrl.replace(/\/api\/v1$/, "") + op.path;
        const res = await fetch(bare, {
          method: "POST",
          headers: { ...AUTH, ...JSON_CT },
          body: JSON.stringify(op.validBody),
        });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      });
    });
  }

  it("serves the docs at /docs", async () => {
    const res = await fetch(`${baseUrl.replace(/\/api\/v1$/, "")}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it("serves both bundles: /openapi.json and the streaming form /openapi.stream.json", async () => {
    const origin = baseUrl.replace(/\/api\/v1$/, "");
    for (const [file, streaming] of [
      ["openapi.json", false],
      ["openapi.stream.json", true],
    ] as const) {
      const res = await fetch(`${origin}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const doc = (await res.json()) as { paths: Record<string, { post: { responses: Record<string, any> } }> };
      const ok = doc.paths["/chat/completions"]!.post.responses["200"].content;
      expect(Object.keys(ok), file).toEqual(
        streaming ? ["text/event-stream"] : ["application/json", "text/event-stream"],
      );
    }
  });

  it("a request with a stream example key but stream absent stays JSON (the body flag decides)", async () => {
    const op = ops[0]!;
    const res = await fetch(url(op), {
      method: "POST",
      headers: { ...AUTH, ...JSON_CT, accept: "text/event-stream" },
      body: JSON.stringify(op.validBody),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    await res.arrayBuffer();
  });
});

// An unknown `Prefer: example=` names the keys the chosen response has (by status and by the body's `stream` flag),
// not only Prism's "exampleKey … does not exist".
describe.skipIf(!hasServer)("an unknown example key", () => {
  const keysOf = (op: (typeof ops)[number], status: string, media: string) =>
    Object.keys(op.responses[status]?.content?.[media]?.examples ?? {});

  for (const op of ops) {
    const sse = keysOf(op, "200", "text/event-stream");
    const json = keysOf(op, "200", "application/json");
    it(`${op.operationId}: a JSON-only key with "stream": true gets a 404 listing the stream examples`, async () => {
      const key = json.find((k) => !sse.includes(k))!;
      expect(key, "a key only the JSON 200 has").toBeDefined();
      const res = await post(op.path, { ...op.validBody, stream: true }, { prefer: `example=${key}` });
      expect(res.status).toBe(404);
      const { error } = (await res.json()) as { error: { message: string; metadata: any } };
      expect(error.metadata.mock_error).toBe("EXAMPLE_NOT_FOUND");
      expect(error.metadata.examples).toMatchObject({ "text/event-stream": sse, "application/json": json });
      expect(error.message).toContain(`No example "${key}" for ${op.operationId} 200 text/event-stream`);
      expect(error.message).toContain(`Examples there: ${sse.join(", ")};`);
    });

    it(`${op.operationId}: an unknown key on an error status lists that status's examples`, async () => {
      const res = await post(op.path, op.validBody, { prefer: "code=429, example=no_such_key" });
      expect(res.status).toBe(404);
      const { error } = (await res.json()) as { error: { message: string } };
      expect(error.message).toContain(`Examples there: ${keysOf(op, "429", "application/json").join(", ")}`);
    });
  }
});

describe("the README's table of example keys", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const cells = (line: string) =>
    line
      .split("|")
      .slice(1, -1)
      .map((c) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  for (const op of ops) {
    it(`lists every example of ${op.operationId}, per media type`, () => {
      const row = readme.split("\n").find((l) => l.startsWith(`| \`${op.method.toUpperCase()} ${op.path}\` |`));
      expect(row, "a row for the operation").toBeDefined();
      const [, json, sse, errors] = cells(row!);
      const keys = (status: string, media: string) =>
        Object.keys(op.responses[status]?.content?.[media]?.examples ?? {});
      expect(json).toEqual(keys("200", "application/json"));
      expect(sse).toEqual(keys("200", "text/event-stream"));
      const errorKeys = new Set(
        Object.keys(op.responses)
          .filter((s) => s !== "200")
          .flatMap((s) => keys(s, "application/json")),
      );
      expect(errors).toEqual([...errorKeys]);
    });
  }
});

// 429 and 503 carry Retry-After: 1 unless the request (Prefer: retry-after=N) or MOCK_RETRY_AFTER says otherwise: the
// spec's example (30 s) would make SDKs that honour it stall a test suite for a minute per 429.
describe.skipIf(!hasServer)("Retry-After", () => {
  const ask = (prefer: string) => post(ops[0]!.path, ops[0]!.validBody, { prefer });
  const fallback = process.env.MOCK_RETRY_AFTER || "1";

  it.each(["429", "503"])("%s: 1 s by default; Prefer: retry-after=N per request", async (code) => {
    const def = await ask(`code=${code}`);
    expect(def.status).toBe(Number(code));
    expect(def.headers.get("retry-after")).toBe(fallback);
    await def.arrayBuffer();
    for (const n of ["0", "7"]) {
      const r = await ask(`code=${code}, retry-after=${n}`);
      expect(r.headers.get("retry-after")).toBe(n);
      await r.arrayBuffer();
    }
  });
});
