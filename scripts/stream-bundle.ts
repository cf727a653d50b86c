// The streaming form of the bundle (generated/openapi.stream.json), for client generators that read one schema
// per status and media type. In the main bundle a 200 offers JSON or SSE, and the SSE body is a string schema
// whose chunk type sits in `contentSchema`, which generators ignore. Here every streaming operation answers 200
// with `text/event-stream` only and `schema: {$ref: <chunk>}`, so a generator that understands SSE makes a typed
// stream method; the request body requires `stream: true`. Errors and everything else are unchanged.

import { resolveRef } from "../src/spec/ref";

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const SSE = "text/event-stream";

type Json = Record<string, any>;

const refName = (ref: string | undefined) => /^#\/components\/[^/]+\/([^/]+)$/.exec(ref ?? "")?.[1];

/** The first `data:` payload of an SSE transcript that parses as JSON, or undefined. */
function firstChunk(transcript: unknown): unknown {
  for (const line of String(transcript).split("\n")) {
    if (!line.startsWith("data:")) continue;
    try {
      return JSON.parse(line.slice(5).trim());
    } catch {
      // `data: [DONE]` and the like
    }
  }
  return undefined;
}

function refsIn(node: unknown, out = new Set<string>()): Set<string> {
  if (!node || typeof node !== "object") return out;
  const ref = (node as Json).$ref;
  if (typeof ref === "string") out.add(ref);
  for (const v of Object.values(node)) refsIn(v, out);
  return out;
}

/** Removes the components that nothing outside `components` reaches through `$ref`s. */
function prune<T extends Json>(doc: T): T {
  const { components, ...rest } = doc;
  const seen = new Set<string>();
  const queue = [...refsIn(rest)];
  while (queue.length) {
    const ref = queue.pop()!;
    if (seen.has(ref)) continue;
    seen.add(ref);
    queue.push(...refsIn(resolveRef(doc, { $ref: ref }).node));
  }
  for (const [kind, group] of Object.entries<Json>(components ?? {})) {
    if (kind === "securitySchemes") continue; // referenced by name from `security`, not by $ref
    for (const name of Object.keys(group)) if (!seen.has(`#/components/${kind}/${name}`)) delete group[name];
  }
  return doc;
}

/** Returns the streaming form of `bundle` (a normalized, ref-preserving bundle); `bundle` is not modified. */
export function streamBundle<T extends object>(bundle: T): T {
  const doc: Json = structuredClone(bundle);
  const resolve = (node: unknown): any => resolveRef(doc, node).node;
  const schemas = doc.components.schemas;
  let streaming = 0;
  for (const item of Object.values<Json>(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      const ok = op?.responses?.["200"];
      const media = ok?.content?.[SSE];
      const chunkRef = resolve(media?.schema)?.contentSchema?.$ref;
      if (!chunkRef) continue;
      streaming++;
      const transcript = Object.values(media.examples ?? {})
        .map((e) => resolve(e)?.value)
        .find(Boolean);
      const example = firstChunk(transcript);
      ok.description =
        `A server-sent event stream: each \`data:\` event is one \`${refName(chunkRef)}\`; the stream ends with ` +
        "`data: [DONE]` and may carry `: OPENROUTER PROCESSING` comment lines before the first event.";
      ok.content = {
        [SSE]: {
          schema: { $ref: chunkRef },
          ...(example
            ? {
                examples: {
                  chunk: {
                    summary: "One event's payload",
                    value: example,
                  },
                },
              }
            : {}),
        },
      };

      // The request: the same body with `stream: true` required, as a named schema.
      const body = op.requestBody?.content?.["application/json"];
      const reqName = refName(body?.schema?.$ref);
      if (!reqName) throw new Error(`streamBundle: ${op.operationId} has no named JSON request body`);
      const streamName = `${reqName.replace(/Request$/, "")}StreamRequest`;
      schemas[streamName] = {
        description: `\`${reqName}\` with \`stream: true\`: the body of a streaming call.`,
        allOf: [
          { $ref: `#/components/schemas/${reqName}` },
          {
            type: "object",
            required: ["stream"],
            properties: {
              stream: { description: "Always `true`: this body asks for an event stream.", const: true },
            },
          },
        ],
      };
      body.schema = { $ref: `#/components/schemas/${streamName}` };
      const examples = Object.entries(body.examples ?? {}).filter(([, e]) => resolve(e)?.value?.stream === true);
      if (examples.length) body.examples = Object.fromEntries(examples);
      else delete body.examples;
    }
  }
  if (!streaming) throw new Error("streamBundle: no operation has a text/event-stream response with a contentSchema");
  doc.info.description =
    "**Streaming form of this contract** (`openapi.stream.json`): every operation streams, so its 200 is " +
    "`text/event-stream` with the chunk schema, for client generators that make typed SSE methods. The full " +
    "contract, with the JSON responses, is `openapi.json`.\n\n" +
    doc.info.description;
  return prune(doc) as T;
}
