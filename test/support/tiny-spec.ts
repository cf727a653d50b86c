// A one-operation OpenAPI 3.1 document (POST /x, operationId "x") for tests that need a spec of their own: hostile
// specs ($ref cycles, risky patterns), header parameters.
export interface TinySpecParts {
  requestSchema?: unknown;
  parameters?: unknown[];
  schemas?: Record<string, unknown>;
}

export function tinySpec({ requestSchema, parameters, schemas }: TinySpecParts = {}) {
  return {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    paths: {
      "/x": {
        post: {
          operationId: "x",
          ...(parameters && { parameters }),
          ...(requestSchema !== undefined && {
            requestBody: { content: { "application/json": { schema: requestSchema } } },
          }),
          responses: { "200": { description: "ok" } },
        },
      },
    },
    ...(schemas && { components: { schemas } }),
  };
}
