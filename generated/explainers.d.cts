// Written by `npm run generate` (scripts/precompile-validators.ts) from generated/openapi.json.
// Do not edit.
// Ajv standalone code of the explaining validators (every error); the CLI loads it (ajv-modules.node.ts).
type Factory = (rt: {
  formats: Record<string, unknown>;
  ucs2length: (s: string) => number;
  equal: (a: unknown, b: unknown) => boolean;
  schema: (copy: "open" | "closed", pointer: string) => unknown;
  errorLimit: number;
  state: { limitHit: boolean };
}) => Record<string, ((data: unknown) => boolean) | undefined>;
/** SHA-256 (hex) of the spec they were compiled from, as JSON. */
export declare const spec: string;
/** The open copy's explaining validators, by `open:<pointer>`. */
export declare const open: Factory;
/** The closed copy's, by `closed:<pointer>`. */
export declare const closed: Factory;
