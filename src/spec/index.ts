/**
 * Reading an OpenAPI document: JSON pointers, `$ref` resolution, the operation index (request/response media, SSE
 * chunk schema) and URL matching. Browser-safe and validator-free; the bundled spec itself is in ./bundle, imported
 * only where it is needed.
 */
export * from "./pointer";
export * from "./ref";
export * from "./operations";
export * from "./url";
