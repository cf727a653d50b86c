// Every documented status and example of both operations is reachable over HTTP (Prefer: code=…, example=…), and
// every request example is accepted. Statuses, example keys and headers come from the bundle.
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
