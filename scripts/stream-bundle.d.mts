// Types for stream-bundle.mjs (used by the contract tests).
export function streamBundle<T extends object>(bundle: T): T;
