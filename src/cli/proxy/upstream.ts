// The forward stage: the request to the upstream, and what the proxy answers when the upstream gives nothing usable
// (unreachable, no response in time, a 101 upgrade, a status line or header the client cannot be sent): a 502 in
// OpenRouter's error envelope naming the cause. Nothing an upstream sends may throw out of here.
import type http from "node:http";
import type { ClientRequest, IncomingMessage, ServerResponse } from "node:http";
import { envelope } from "../../conformance/envelope";
import { forwardable } from "./forward";

/** Answer with OpenRouter's error envelope (`marker`: the x-contract-proxy header); a started response is cut. */
export function answer(res: ServerResponse, status: number, message: string, marker: string): string | undefined {
  if (res.headersSent) {
    res.destroy();
    return undefined;
  }
  const text = JSON.stringify(envelope(status, message));
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    "x-contract-proxy": marker,
  });
  res.end(text);
  return text;
}

/**
 * Write the upstream's status line and headers to the client. Returns why not, when they cannot be sent: a control
 * character in the reason phrase or a header, a status outside 100-999 (node:http refuses them by throwing).
 */
export function writeHead(res: ServerResponse, up: IncomingMessage): string | undefined {
  try {
    res.sendDate = false; // the upstream's Date passes through
    res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.rawHeaders));
    res.flushHeaders();
    return undefined;
  } catch (e) {
    // writeHead kept the refused reason phrase: drop it, so the 502 gets its own.
    res.statusMessage = "";
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    res.sendDate = true;
    const code = (e as NodeJS.ErrnoException).code ?? "ERR_INVALID";
    return `invalid status line or header (${code})`;
  }
}

export interface UpstreamCall {
  /** The response head arrived (not a 101). */
  response(up: IncomingMessage): void;
  /** No usable response: the reason, for the 502 and the log. */
  fail(reason: string): void;
}

/**
 * Send the request upstream. `timeoutMs`: time allowed until the response head arrives (0: none); the body may then
 * take as long as it takes.
 */
export function sendUpstream(
  mod: { request: typeof http.request },
  target: URL,
  init: http.RequestOptions,
  timeoutMs: number,
  call: UpstreamCall,
): ClientRequest {
  const upReq = mod.request(target, init);
  upReq.setNoDelay(true);
  let over = false;
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          const s = timeoutMs / 1000;
          upReq.destroy(Object.assign(new Error(`no response within ${s} s`), { code: `no response within ${s} s` }));
        }, timeoutMs)
      : undefined;
  const done = () => {
    over = true;
    clearTimeout(timer);
  };
  upReq.on("error", (err: NodeJS.ErrnoException) => {
    if (over) return;
    done();
    call.fail(err.code ? `${err.code}` : err.message);
  });
  // A 101 is not a response to a plain request: node:http hands over the socket, which is closed here.
  upReq.on("upgrade", (_res: IncomingMessage, socket) => {
    socket.destroy();
    if (over) return;
    done();
    call.fail("answered 101 Switching Protocols (upgrades are not proxied)");
  });
  upReq.on("response", (up: IncomingMessage) => {
    if (over) return void up.resume();
    done();
    try {
      call.response(up);
    } catch (e) {
      // Whatever the response held, the proxy (or the process embedding it) stays up.
      up.resume();
      call.fail(`response could not be forwarded (${(e as Error).message})`);
    }
  });
  upReq.on("close", () => clearTimeout(timer));
  return upReq;
}
