/**
 * Reading parsed JSON that the contract types describe but nothing has checked: a server (or a caller's untyped
 * code) can send any field missing or of another type, so the client reads it as `unknown` and narrows.
 */

/** A JSON object (or array) read field by field: each field is checked before use. */
export type JsonObject = Record<string, unknown>;

/** Objects and arrays: the values a property read can look into. */
export const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object";

/** `Array.isArray` without the `any[]` it narrows `unknown` to. */
export const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

/** A string, or undefined for anything else. */
export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
