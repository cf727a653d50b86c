/**
 * A hostile OpenRouter stand-in for the client's hostile-input tests, on 127.0.0.1:0.
 * URL layout: http://127.0.0.1:PORT/<scenario>/<id>/chat/completions; `id` isolates one test's hits.
 * Each scenario is a function of the request, so a test can echo the credentials it was sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface Hit {
  scenario: string;
  id: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Set when the client closed the connection before the response was fully written. */
  clientClosed: boolean;
}

export type Scenario = (req: IncomingMessage, res: ServerResponse, hit: Hit) => void;

export interface HostileServer {
  url: string;
  hits(scenario: string, id: string): Hit[];
  close(): Promise<void>;
}

/** Writes `head`, then `fill` until `total` bytes, then `tail`, with backpressure (nothing big is buffered here). */
export function pump(res: ServerResponse, head: string, fill: string, total: number, tail = ""): void {
  const piece = fill.repeat(Math.max(1, Math.floor(65536 / fill.length)));
  let sent = 0;
  res.write(head);
  const go = (): void => {
    while (sent < total) {
      if (res.destroyed) return;
      sent += piece.length;
      if (!res.write(piece)) return void res.once("drain", go);
    }
    res.end(tail);
  };
  go();
}

export async function startHostileServer(scenarios: Record<string, Scenario>): Promise<HostileServer> {
  const all: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const [scenario = "", id = ""] = (req.url ?? "/").split("/").filter(Boolean);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const hit: Hit = {
        scenario,
        id,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        clientClosed: false,
      };
      all.push(hit);
      res.on("close", () => void (hit.clientClosed = !res.writableFinished));
      res.on("error", () => {});
      const h = scenarios[scenario];
      if (!h) {
        res.writeHead(404, { "content-type": "application/json" });
        return void res.end(JSON.stringify({ error: { code: 404, message: `unknown scenario ${scenario}` } }));
      }
      h(req, res, hit);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits: (s, id) => all.filter((h) => h.scenario === s && h.id === id),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
