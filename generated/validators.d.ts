// Written by `npm run generate` (scripts/precompile-validators.ts) from generated/openapi.json.
// Do not edit.
// Ajv standalone code of the fail-fast validators (verdicts only); loaded by src/conformance/precompiled.ts.
export declare function createValidators(rt: {
  formats: Record<string, unknown>;
  ucs2length: (s: string) => number;
  equal: (a: unknown, b: unknown) => boolean;
}): Record<string, ((data: unknown) => boolean) | undefined>;
/** SHA-256 (hex) of the spec they were compiled from, as JSON (as generated/explainers.cjs records it). */
export declare const specSha: string;
