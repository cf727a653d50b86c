// Written by `npm run generate` (scripts/precompile-validators.ts) from generated/openapi.json.
// Do not edit.
// Ajv standalone code of the explaining validators (every error); the CLI loads it (ajv-modules.node.ts).
declare function createExplainers(rt: {
  formats: Record<string, unknown>;
  ucs2length: (s: string) => number;
  equal: (a: unknown, b: unknown) => boolean;
  schema: (copy: "open" | "closed", pointer: string) => unknown;
  errorLimit: number;
  state: { limitHit: boolean };
}): Record<string, ((data: unknown) => boolean) | undefined>;
declare namespace createExplainers {
  /** SHA-256 (hex) of the spec they were compiled from, as JSON. */
  const spec: string;
}
export = createExplainers;
