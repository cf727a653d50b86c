// The view of the bundle that the Redoc docs are built from (not shipped as a spec). Redoc ignores `contentSchema`,
// so in the main bundle a `text/event-stream` body shows as a bare string and a streaming reader never sees the
// chunk's fields (`delta`, `finish_reason`, `usage`). Here each SSE media type shows the chunk schema itself,
// with the stream's framing as its description. The one-value `enum` the bundle adds beside each `const` (for
// generators; normalize-bundle.ts) is dropped, so that Redoc shows a fixed value once. Everything else is the bundle
// unchanged.

import { resolveRef } from "../src/spec/ref";

/** Returns the docs view of `bundle`; `bundle` is not modified. */
export function docsBundle<T extends object>(bundle: T): T {
  const doc = structuredClone(bundle);
  const resolve = (node: unknown): any => resolveRef(doc, node).node;
  for (const item of Object.values<any>((doc as any).paths ?? {})) {
    for (const op of Object.values<any>(item)) {
      for (const response of Object.values(op?.responses ?? {})) {
        const media = resolve(response)?.content?.["text/event-stream"];
        const stream = resolve(media?.schema);
        if (!stream?.contentSchema?.$ref) continue;
        const chunk = stream.contentSchema.$ref.split("/").pop();
        media.schema = {
          $ref: stream.contentSchema.$ref,
          description: `${
            stream.description ?? ""
          }\n\nThe fields below are those of one event's payload, a \`${chunk}\`.`,
        };
      }
    }
  }
  dropConstEnums((doc as any).components?.schemas);
  return doc;
}

/** Removes `enum: [x]` beside `const: x` everywhere below `node` (example values are never visited). */
function dropConstEnums(node: unknown): void {
  if (!node || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const x of node) dropConstEnums(x);
    return;
  }
  const s = node as Record<string, unknown>;
  if ("const" in s && Array.isArray(s.enum) && s.enum.length === 1 && s.enum[0] === s.const) delete s.enum;
  for (const [k, v] of Object.entries(s)) if (k !== "examples" && k !== "example") dropConstEnums(v);
}

/** The "API docs by Redocly" logo is an image Redoc fetches from a CDN; the page uses this local one instead. */
export const LOCAL_LOGO =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16" viewBox="0 0 64 16">' +
      '<text x="0" y="12" font-family="sans-serif" font-size="12" font-weight="bold" fill="#555">Redocly</text></svg>',
  );
