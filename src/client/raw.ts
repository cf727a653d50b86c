/**
 * `client.raw` (added by `withRaw`, with-raw.ts): the openapi-fetch client over the generated `paths`, with the
 * client's base URL, headers and middleware. openapi-fetch is imported on first use (of `raw`, or of a typed call
 * once middleware is registered); only the `./raw` entry imports this module.
 */
import type { Client, Middleware } from "openapi-fetch";
import { readErrorBody } from "./body";
import type { Config } from "./options";
import type { paths } from "../types";

export type RawClient = Client<paths, "application/json">;

const METHODS = ["request", "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;
/** The request methods, seen untyped: the lazy `raw` forwards each call's arguments to the loaded client as is. */
type Forwarding = Record<(typeof METHODS)[number], (...args: unknown[]) => Promise<unknown>>;

/**
 * The raw client, and the middleware list it shares with typed calls: `raw.use()`/`raw.eject()` change both, and
 * typed calls go through `raw` (not `fetch`) while the list is non-empty, so every middleware sees every request.
 */
export function createRawClient(config: Config, middleware: Middleware[] | undefined) {
  const mws: Middleware[] = [...(middleware ?? [])];
  let client: RawClient | undefined;
  let loading: Promise<RawClient> | undefined;
  const load = () =>
    (loading ??= import("openapi-fetch").then((m) => {
      client = m.default<paths, "application/json">({
        baseUrl: config.baseUrl,
        headers: config.headers,
        fetch: (req: Request) => config.fetch(req),
        // Never followed: a cross-origin hop would carry custom credential headers and the body.
        redirect: "manual",
      });
      // First in the list, so its onResponse runs last: the caller's middleware sees the real response, and
      // openapi-fetch then reads at most the error-body cap of an error body.
      client.use(
        {
          onResponse: async ({ response: r }) =>
            r.ok || !r.body ? undefined : new Response((await readErrorBody(r, config.maxBodyBytes)).text, r),
        },
        ...mws,
      );
      return client;
    }));
  const raw = {
    use: (...m: Middleware[]) => {
      mws.push(...m);
      client?.use(...m);
    },
    eject: (...m: Middleware[]) => {
      for (const x of m) if (mws.includes(x)) mws.splice(mws.indexOf(x), 1);
      client?.eject(...m);
    },
  } as unknown as RawClient;
  for (const k of METHODS) {
    (raw as unknown as Forwarding)[k] = (...a) => load().then((c) => (c as unknown as Forwarding)[k](...a));
  }
  return { raw, middleware: mws };
}
