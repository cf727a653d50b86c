/** RFC 6901 JSON pointers (no dependencies). */
export function escapeToken(t: string): string {
  if (t.indexOf("~") < 0 && t.indexOf("/") < 0) return t; // most keys: nothing to escape, no regex run
  return t.replace(/~/g, "~0").replace(/\//g, "~1");
}
export function unescapeToken(t: string): string {
  return t.replace(/~1/g, "/").replace(/~0/g, "~");
}
/** Build a pointer from tokens: ["a","b/c"] -> "/a/b~1c". */
export function toPointer(tokens: ReadonlyArray<string | number>): string {
  return tokens.map((t) => `/${escapeToken(String(t))}`).join("");
}
/** Parse "#/a/b" or "/a/b" into tokens. */
export function parsePointer(p: string): string[] {
  let s = p.startsWith("#") ? p.slice(1) : p;
  if (s === "") return [];
  if (!s.startsWith("/")) throw new Error(`not a JSON pointer: ${p}`);
  s = s.slice(1);
  return s.split("/").map((t) => unescapeToken(decodeURIComponentSafe(t)));
}
function decodeURIComponentSafe(t: string): string {
  if (!t.includes("%")) return t;
  try {
    return decodeURIComponent(t);
  } catch {
    return t;
  }
}
/** Resolve a pointer against a document; undefined when missing. */
export function getAt(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const t of parsePointer(pointer)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[t];
  }
  return cur;
}

/** A JSON object (not null, not an array): the one test for "this node has properties to read". */
export const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);
