// The accept stage: where a client's request goes upstream (its path mapped onto the upstream's base path, never
// outside it), the secrets it carries, and its checks before anything is forwarded.
import { checkExchange, type ExchangeResult } from "../../conformance/check";
import type { Contract } from "../../conformance/contract";
import { MIN_SECRET_CHARS, secretHeaderValues, secretQueryValues } from "../../conformance/record";
import type { ExchangeRecord, Mode } from "../../conformance/types";
import { headersForCheck } from "./forward";
import type { Exchange } from "./report";

/**
 * The upstream URL for a client's request target: its path under the upstream's base path, dot segments resolved
 * (also `%2e`). Undefined when the resolved path leaves the base (`/api/v1/../../admin`) or is not a URL.
 */
export function upstreamTarget(upstream: URL, basePath: string, requestTarget: string): URL | undefined {
  let rawUrl = requestTarget;
  if (!rawUrl.startsWith("/")) {
    // Absolute form (`POST http://host/path`): only its path and query count; the host is always the upstream.
    try {
      const u = new URL(rawUrl);
      rawUrl = u.pathname + u.search;
    } catch {
      return undefined;
    }
  }
  const qi = rawUrl.indexOf("?");
  const pathname = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
  const underBase = basePath && (pathname === basePath || pathname.startsWith(`${basePath}/`));
  const rest = underBase ? pathname.slice(basePath.length) : pathname;
  const target = new URL(upstream.href);
  target.pathname = basePath + (rest.startsWith("/") || rest === "" ? rest : `/${rest}`);
  target.search = qi < 0 ? "" : rawUrl.slice(qi);
  const p = target.pathname;
  if (basePath && p !== basePath && !p.startsWith(`${basePath}/`)) return undefined;
  return target;
}

/** The secrets a request carries (each header on its own, so a repeated Authorization gives both tokens). */
export function requestSecrets(rawHeaders: string[], url: string, names: string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    for (const v of secretHeaderValues({ [rawHeaders[i]!]: rawHeaders[i + 1]! }, names)) out.add(v);
  }
  for (const v of secretQueryValues(url, names)) out.add(v);
  return [...out].filter((v) => v.length >= MIN_SECRET_CHARS);
}

export interface Accepted {
  ex: Exchange;
  checked: ExchangeResult;
  parsed: unknown;
  parseError?: string;
}

/** The request checks, before anything is forwarded. */
export function checkRequest(
  contract: Contract,
  mode: Mode,
  at: { id: string; seq: number; method: string; url: string; headers: string[]; body: Buffer; secrets: string[] },
): Accepted {
  let parsed: unknown;
  let parseError: string | undefined;
  const text = at.body.toString("utf8");
  if (at.body.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      parseError = (e as Error).message;
    }
  }
  const request: ExchangeRecord["request"] = { method: at.method, url: at.url, headers: headersForCheck(at.headers) };
  if (parseError !== undefined) request.bodyText = text;
  else if (parsed !== undefined) request.body = parsed;
  const checked = checkExchange(contract, { v: 1, id: at.id, request }, { mode });
  const ex: Exchange = {
    id: at.id,
    seq: at.seq,
    request,
    operation: checked.operation,
    findings: [],
    live: 0,
    done: false,
    secrets: at.secrets,
  };
  return { ex, checked, parsed, ...(parseError !== undefined ? { parseError } : {}) };
}
