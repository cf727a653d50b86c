// Types for inline-shared-properties.mjs (used by the contract tests).
export function inlineSharedProperties<T extends object>(bundle: T, shared: Record<string, unknown>): T;
