/** Concrete request URL → documented operation, after the server base path (`/api/v1/chat/completions`). */
import type { OperationSpec } from "./operations";

type Json = Record<string, unknown>;

/** The base path every OpenRouter deployment serves under, accepted even when `servers` does not declare it. */
const OPENROUTER_BASE = "/api/v1";

/** Path prefixes of the declared servers (`https://openrouter.ai/api/v1` → `/api/v1`), plus OpenRouter's own. */
export function serverBasePaths(spec: Json): string[] {
  const out = new Set<string>();
  const servers = Array.isArray(spec.servers) ? spec.servers : [];
  for (const s of servers) {
    const url = (s as Json)?.url;
    if (typeof url !== "string") continue;
    try {
      out.add(new URL(url, "http://relative.invalid").pathname.replace(/\/$/, ""));
    } catch {
      /* not a URL: no base path from this server */
    }
  }
  out.add(OPENROUTER_BASE);
  return [...out];
}

/** The path part of the first server's URL without a trailing slash (`""` when there is none). */
export function firstServerBasePath(spec: Json): string {
  const first = Array.isArray(spec.servers) ? (spec.servers[0] as Json | undefined) : undefined;
  if (!first || typeof first.url !== "string") return "";
  try {
    return new URL(first.url, "http://localhost").pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

/** Does a concrete path match a path template (`/items/{id}` matches `/items/42`)? */
export function pathMatches(template: string, path: string): boolean {
  if (!template.includes("{")) return template === path;
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(
    "^" +
      template
        .split(/\{[^}]+\}/)
        .map(literal)
        .join("[^/]+") +
      "$",
  );
  return re.test(path);
}

export interface UrlMatch {
  /** The operation for this method and path. */
  op?: OperationSpec;
  /** The path is documented, but not for this method: the operations it has. */
  pathOnly?: OperationSpec[];
  /** The path that was looked up (after the base path when one was stripped). */
  path: string;
}

/** Find the operation for a concrete request (method + absolute or relative URL). */
export function matchOperation(ops: OperationSpec[], basePaths: string[], method: string, url: string): UrlMatch {
  let path: string;
  try {
    path = new URL(url, "http://relative.invalid").pathname;
  } catch {
    path = url.split("?")[0] ?? url;
  }
  const candidates = [path];
  for (const b of basePaths) if (b && b !== "/" && path.startsWith(`${b}/`)) candidates.push(path.slice(b.length));
  const m = method.toLowerCase();
  for (const p of candidates) {
    const same = ops.filter((o) => pathMatches(o.path, p));
    if (same.length) {
      const op = same.find((o) => o.method === m);
      return op ? { op, path: p } : { pathOnly: same, path: p };
    }
  }
  return { path };
}
