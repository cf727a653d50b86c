// Prism as the mock's engine, two ways:
//  - "inproc" (default): Prism 5.14.2's own HTTP pipeline (prism-http `createInstance(...).request`, the Prefer
//    parsing and serializer of prism-http-server) called in the layer's process, exactly as Prism's HTTP server calls
//    it, minus the second HTTP hop. The modules are resolved from @stoplight/prism-cli's own dependency tree, so they
//    are the versions Prism 5.14.2 runs with.
//  - "child": the public CLI (`prism mock ... --errors`) as a child process on a free port, reached over keep-alive
//    HTTP; violations come from its `sl-violations` header. Selected with MOCK_PRISM=child.
// Both give the layer the same thing: status, headers, body, and Prism's request violations.
import { createRequire } from "node:module";
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { dirname, join } from "node:path";
import type { PrismViolation } from "./prism-violations";
import { startPrism, type PrismHandle } from "./prism";

export interface EngineRequest {
  method: string;
  /** Path without the base path, e.g. /chat/completions. */
  path: string;
  /** "?a=b" or "". */
  query: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The parsed JSON body when the content type is JSON, else undefined. */
  json: unknown;
  isJson: boolean;
}

export interface EngineResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Prism's request-validation results (location starts with "request"), or the raw `sl-violations` header. */
  violations: PrismViolation[] | string | undefined;
}

export interface Engine {
  kind: "inproc" | "child";
  handle(req: EngineRequest): Promise<EngineResponse>;
  close(): Promise<void>;
  /** Child mode: Prism's PID and URL. */
  pid?: number;
  url?: string;
  child?: PrismHandle["child"];
}

const SEVERITY = ["Error", "Warning", "Information", "Hint"];

function lowerHeaders(h: Record<string, unknown> | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h ?? {}))
    if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.map(String) : String(v);
  return out;
}

// Prism's server reflects the Origin with allow-credentials; the mock holds no credentials, so it allows any origin
// without them (the layer applies the same policy to child-mode answers).
function cors(_headers: IncomingHttpHeaders): Record<string, string> {
  return { "access-control-allow-origin": "*", "access-control-expose-headers": "*" };
}

type AnyFn = (...a: any[]) => any;

export async function createInprocEngine(specFile: string): Promise<Engine> {
  const req0 = createRequire(import.meta.url);
  const cliPkg = req0.resolve("@stoplight/prism-cli/package.json");
  const fromCli = createRequire(cliPkg);
  const prismHttp = fromCli("@stoplight/prism-http") as {
    createInstance: AnyFn;
    getHttpOperationsFromSpec: AnyFn;
    ProblemJsonError: { fromTemplate: AnyFn; toProblemJson: AnyFn };
    VIOLATIONS: unknown;
  };
  const prismCore = fromCli("@stoplight/prism-core") as { createLogger: AnyFn };
  const serverDir = dirname(fromCli.resolve("@stoplight/prism-http-server/package.json"));
  const fromServer = createRequire(join(serverDir, "package.json"));
  const { getHttpConfigFromRequest } = fromServer("./dist/getHttpConfigFromRequest.js") as {
    getHttpConfigFromRequest: AnyFn;
  };
  const { serialize } = fromServer("./dist/serialize.js") as { serialize: AnyFn };

  const operations = await prismHttp.getHttpOperationsFromSpec(specFile);
  const logger = prismCore.createLogger("MOCK", { level: "silent" });
  // The same config as `prism mock <spec> --errors` (prism-cli createServer.js, static examples).
  const config = {
    isProxy: false,
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors: true,
    upstreamProxy: undefined,
    mock: { dynamic: false, ignoreExamples: false },
  };
  const prism = prismHttp.createInstance(config, { logger });

  const problem = (
    e: { status?: number; additional?: { headers?: Record<string, string> } },
    headers: IncomingHttpHeaders,
  ): EngineResponse => ({
    status: e.status || 500,
    headers: { ...cors(headers), ...lowerHeaders(e.additional?.headers), "content-type": "application/problem+json" },
    body: Buffer.from(JSON.stringify(prismHttp.ProblemJsonError.toProblemJson(e))),
    violations: undefined,
  });

  return {
    kind: "inproc",
    async handle(r) {
      const params = new URLSearchParams(r.query);
      const query: Record<string, string | string[]> = {};
      for (const key of new Set(params.keys())) {
        const all = params.getAll(key);
        query[key] = all.length === 1 ? all[0]! : all;
      }
      // Prism's parseRequestBody: no body -> null; JSON content type -> parsed JSON; otherwise the text.
      const body = r.rawBody.length === 0 ? null : r.isJson ? r.json : r.rawBody.toString("utf8");
      // Prism's content-type check reads content-length (0 = no body to check).
      const inHeaders = { ...r.headers, "content-length": String(r.rawBody.length) };
      const input = {
        method: r.method.toLowerCase(),
        url: { path: r.path, baseUrl: params.get("__server") || undefined, query },
        headers: inHeaders,
        body,
      };
      const cfg = getHttpConfigFromRequest(input);
      if (cfg._tag === "Left") return problem(cfg.left, r.headers);
      const mock: Record<string, unknown> = { ...config.mock };
      for (const [k, v] of Object.entries(cfg.right as Record<string, unknown>)) if (v !== undefined) mock[k] = v;
      const result = await prism.request(input, operations, { ...config, mock })();
      if (result._tag === "Left") return problem(result.left, r.headers);
      const { output, validations } = result.right as {
        output: { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
        validations: {
          input: { path?: string[]; severity: number; code: unknown; message: string }[];
          output: { severity: number }[];
        };
      };
      if (validations.output.some((v) => SEVERITY[v.severity] === "Error")) {
        // --errors: a response that breaks the spec becomes a 500 problem (Prism's VIOLATIONS).
        const e = prismHttp.ProblemJsonError.fromTemplate(
          prismHttp.VIOLATIONS,
          "Your request/response is not valid and the --errors flag is set, so Prism is generating this error for you.",
          { validation: validations.output },
        );
        return problem(e, r.headers);
      }
      const headers = { ...cors(r.headers), ...lowerHeaders(output.headers) };
      let payload: unknown;
      try {
        payload = serialize(output.body, headers["content-type"]);
      } catch (e) {
        return problem(e as { status?: number }, r.headers);
      }
      return {
        status: output.statusCode,
        headers,
        body: payload === undefined ? Buffer.alloc(0) : Buffer.from(String(payload)),
        violations: validations.input.map((d) => ({
          location: ["request", ...(d.path ?? [])],
          severity: SEVERITY[d.severity] ?? "Error",
          code: d.code,
          message: d.message,
        })),
      };
    },
    async close() {},
  };
}

export async function createChildEngine(specFile: string, timeoutMs: number): Promise<Engine> {
  const prism = await startPrism({ spec: specFile, host: "127.0.0.1" });
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: "lifo" });
  return {
    kind: "child",
    pid: prism.pid,
    url: prism.url,
    child: prism.child,
    handle(r) {
      return new Promise((resolve, reject) => {
        const headers: IncomingHttpHeaders = { ...r.headers };
        if (r.rawBody.length) headers["content-length"] = String(r.rawBody.length);
        const up = httpRequest(
          {
            host: "127.0.0.1",
            port: prism.port,
            method: r.method,
            path: r.path + r.query,
            headers,
            agent,
            timeout: timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const h = lowerHeaders(res.headers as Record<string, unknown>);
              const sl = h["sl-violations"];
              resolve({
                status: res.statusCode ?? 502,
                headers: h,
                body: Buffer.concat(chunks),
                violations: Array.isArray(sl) ? sl.join(",") : sl,
              });
            });
            res.on("error", reject);
          },
        );
        up.on("timeout", () => up.destroy(new Error(`Prism did not answer within ${timeoutMs} ms`)));
        up.on("error", reject);
        up.end(r.rawBody.length ? r.rawBody : undefined);
      });
    },
    async close() {
      agent.destroy();
      await prism.stop();
    },
  };
}
