// Types for normalize-bundle.mjs (used by the contract tests).
export function normalizeBundle<T extends object>(bundle: T): T;
