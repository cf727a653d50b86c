// Proof on real data: every capture in ../shared/captures replayed by one replay server and driven by fetch, the
// package's client, `openai`, `@openrouter/sdk` and LangChain (`@langchain/openai`). Successes must come back
// identical (streams byte for byte), errors must reach each client as its error for the recorded status.
// @openrouter/sdk and LangChain build their own request bodies (camelCase input, defaults): a fetch wrapper puts the
// recorded body back, so the recording matches and what is tested is how each client takes the replayed answer.
import { LangChainError } from "@langchain/core/errors";
import { HumanMessage } from "@langchain/core/messages";
import { ChatOpenAICompletions } from "@langchain/openai";
import { OpenRouter } from "@openrouter/sdk";
import { HTTPClient } from "@openrouter/sdk/lib/http.js";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenRouterClient, OpenRouterError } from "../../src/client/index";
import type { ExchangeRecord } from "../../src/conformance/types";
import { checkExchange } from "../../src/conformance/check";
import { loadContract } from "../../src/conformance/index";
import { createReplayServer, type ReplayHandle } from "../../src/replay/index";
import { sharedCaptureRecords, sharedCapturesDir, sseDataEvents } from "../support/shared-captures";

/** The body the next call sends instead of the one its client built (see the file comment). */
let sending: unknown;
const recordedBody = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const req = new Request(input, init);
  const body = sending === undefined ? await req.text() : JSON.stringify(sending);
  return fetch(req.url, { method: req.method, headers: req.headers, body });
};

/** What every client shows of a JSON answer: id, model, per choice the finish reason and the message text. */
function summary(body: any, finish: string) {
  return {
    id: body?.id,
    model: body?.model,
    choices: (body?.choices ?? []).map((c: any) => [c[finish] ?? null, c.message?.content ?? null]),
  };
}

/** What every client shows of a stream: the chunk ids in order and the text of choice 0. */
function streamSummary(chunks: any[]) {
  return {
    ids: chunks.map((c) => c.id),
    text: chunks.map((c) => c.choices?.[0]?.delta?.content ?? "").join(""),
  };
}

/**
 * What a client does differently from the recording: a pattern over "<capture id> <outcome>" and the reason. Every
 * other capture must come back as expected, and every pattern must still happen (no stale entries).
 */
type Known = [RegExp, string][];
const SDK_KNOWN: Known = [
  [
    / threw: ResponseValidationError invalid_type at system_fingerprint \(expected string\)$/,
    "real answers without system_fingerprint (62 of 254 JSON answers omit it); the SDK's ChatResult requires a string",
  ],
  [
    / threw: ZodError invalid_type at data\.usage\.cost_details\.upstream_inference_completions_cost /,
    "a stream's usage chunk has upstream_inference_completions_cost: null; the SDK requires a number (and throws a " +
      "bare ZodError from the iterator, not its ResponseValidationError)",
  ],
  [
    /^crewAIInc__crewAI\/test_deepseek_r1_with_open_router\.json threw: \w+ invalid_value at choices\.0\.finish_reason/,
    "finish_reason: null in a 200 answer (the model stopped without a reason); the SDK's enum has no null",
  ],
  [
    /^pydantic__pydantic-ai\/test_openrouter_tool_optional_parameters\.json threw: \w+ invalid_type at \S+\.arguments /,
    "a tool call without `arguments`, as recorded; the SDK requires it",
  ],
  [
    /^pydantic__pydantic-ai\/test_openrouter_stream_error\.json identical$/,
    "the mid-stream error chunk is yielded as data: the SDK does not throw (the chunks match the recording)",
  ],
];
const LANGCHAIN_KNOWN: Known = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = sharedCapturesDir();

interface Case {
  id: string;
  rec: ExchangeRecord;
  status: number;
  stream: boolean;
  /** The request body exactly as the capture holds it (the replay server matches it JSON-equal). */
  body: Record<string, unknown>;
  /** The JSON `data:` events of a stream, in order (comments and [DONE] left out). */
  events: unknown[];
}

const cases: Case[] = sharedCaptureRecords().map((rec) => {
  const stream = typeof rec.response!.bodyText === "string";
  const events = stream ? sseDataEvents(rec.response!.bodyText!) : [];
  return { id: rec.id!, rec, status: rec.response!.status, stream, body: rec.request.body as never, events };
});
const successes = cases.filter((c) => c.status < 400);
const errors = cases.filter((c) => c.status >= 400);
/** A stream whose chunks carry an `error` (a mid-stream error in a 200): clients surface it as an error. */
const inBandError = (c: Case) => c.events.some((e) => !!(e as { error?: unknown }).error);

let server: ReplayHandle;
beforeAll(async () => {
  server = await createReplayServer({ paths: [dir] });
});
afterAll(async () => {
  await server?.close();
});

/** What a client did with one replayed capture. */
type Outcome = "identical" | `error ${number}` | "stream error" | `differs: ${string}` | `threw: ${string}`;
const tallies: Record<string, Record<string, number>> = {};
function tally(client: string, o: Outcome) {
  const key = o.startsWith("error ") ? "error for the recorded status" : o.startsWith("differs") ? "differs" : o;
  tallies[client] ??= {};
  tallies[client][key] = (tallies[client][key] ?? 0) + 1;
}
afterAll(() => {
  // The counts the issue's closing note quotes.
  console.log(`replayed ${cases.length} captures:\n${JSON.stringify(tallies, null, 1)}`);
});

const statusOf = (e: unknown): number | undefined => {
  const x = e as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  const s = x?.status ?? x?.statusCode ?? x?.response?.status;
  return typeof s === "number" ? s : undefined;
};

/** The message of a stream's in-band error chunk. */
const inBandMessage = (c: Case) =>
  (c.events.find((e) => (e as { error?: unknown }).error) as { error?: { message?: string } } | undefined)?.error
    ?.message;

interface Issue {
  code?: string;
  path?: PropertyKey[];
  errors?: Issue[][];
  expected?: unknown;
  received?: unknown;
}
/** The first zod issue a validation error carries, following union branches down ("invalid_type at choices.0..."). */
function zodIssue(e: unknown): string | undefined {
  const x = e as { cause?: { issues?: Issue[] }; issues?: Issue[] };
  let issue = (x?.cause?.issues ?? x?.issues)?.[0];
  const path: PropertyKey[] = [];
  while (issue) {
    path.push(...(issue.path ?? []));
    // Of a union's branches, follow the one that got furthest (its first issue has the longest path).
    const branches = (issue.errors ?? []).map((b) => b[0]).filter((b): b is Issue => !!b);
    if (!branches.length) return `${issue.code} at ${path.join(".")} (expected ${String(issue.expected)})`;
    issue = branches.sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0))[0];
  }
  return undefined;
}

/** Why a call threw: the client's own error class for the recorded status, a surfaced stream error, or else. */
function thrown(c: Case, e: unknown, isClientError: (e: unknown) => boolean, status = statusOf): Outcome {
  const s = status(e);
  if (s && s >= 400 && isClientError(e)) return `error ${s}`;
  const msg = inBandMessage(c);
  if (msg && String((e as Error)?.message).includes(msg)) return "stream error";
  const why = zodIssue(e) ?? String((e as Error)?.message ?? e).slice(0, 200);
  return `threw: ${(e as Error)?.constructor?.name} ${why.replace(/\s+/g, " ")}`;
}

/** Run one client over every capture, in file order, from a fresh cursor; each outcome is tallied and returned. */
async function drive(
  client: string,
  isClientError: (e: unknown) => boolean,
  call: (c: Case) => Promise<Outcome>,
  status = statusOf,
): Promise<Map<string, Outcome>> {
  server.reset();
  const out = new Map<string, Outcome>();
  for (const c of cases) {
    let o: Outcome;
    try {
      o = await call(c);
    } catch (e) {
      o = thrown(c, e, isClientError, status);
    }
    out.set(c.id, o);
    tally(client, o);
  }
  return out;
}

/** Deep equality as an outcome, naming the first difference. */
function same(actual: unknown, expected: unknown): Outcome {
  try {
    expect(actual).toStrictEqual(expected);
    return "identical";
  } catch (e) {
    return `differs: ${String((e as Error).message).slice(0, 300)}`;
  }
}

/** Every capture's expected outcome: identical, its status as an error, or (in-band stream error) a stream error. */
const expected = (c: Case): Outcome =>
  c.status >= 400 ? `error ${c.status}` : inBandError(c) ? "stream error" : "identical";

function expectAll(got: Map<string, Outcome>, known: Known = []) {
  const off = cases.filter((c) => got.get(c.id) !== expected(c)).map((c) => `${c.id} ${got.get(c.id)}`);
  expect(off.filter((line) => !known.some(([re]) => re.test(line)))).toEqual([]);
  expect(known.filter(([re]) => !off.some((line) => re.test(line))).map(([, why]) => why)).toEqual([]);
}

describe(`replaying ${cases.length} real captures`, () => {
  it("finds them all: successes, streams and errors", () => {
    expect(cases.length).toBeGreaterThan(300);
    expect(successes.filter((c) => c.stream).length).toBeGreaterThan(50);
    expect(errors.length).toBeGreaterThan(5);
    expect(server.stats().recordings).toBe(cases.length);
  });

  it("fetch: status, content type and the raw bytes, byte for byte", async () => {
    const got = await drive(
      "fetch",
      () => false,
      async (c) => {
        const res = await fetch(`${server.url}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer sk-or-v1-replay" },
          body: JSON.stringify(c.body),
        });
        const bytes = Buffer.from(await res.arrayBuffer());
        const want = c.rec.response!;
        const wantBytes = Buffer.from(c.stream ? want.bodyText! : JSON.stringify(want.body));
        if (res.status !== want.status) return `differs: status ${res.status}`;
        if (res.headers.get("content-type") !== want.headers!["content-type"]) return "differs: content-type";
        if (!bytes.equals(wantBytes)) return `differs: ${bytes.length} bytes, recorded ${wantBytes.length}`;
        return "identical";
      },
    );
    expect([...got.values()].filter((o) => o !== "identical")).toEqual([]);
    expect(server.stats().unmatched).toBe(0);
  });

  it("the side checks of that pass report what `check` finds in the captures themselves (drift shows up)", async () => {
    // The fetch pass ran first: the report holds its exchanges (each check runs once its answer is written).
    const deadline = Date.now() + 10_000;
    while (server.report.summary().exchanges < cases.length && Date.now() < deadline) await sleep(20);
    expect(server.report.summary().exchanges).toBe(cases.length);
    const contract = loadContract();
    const key = (id: string, check: string, path: string) => `${id} ${check} ${path}`;
    const direct = cases.flatMap((c) =>
      checkExchange(contract, c.rec).violations.map((v) => key(c.id, v.check, v.instancePath)),
    );
    const replayed = server.report.violations.map((v) => key(v.exchange, v.check, v.instancePath));
    expect(replayed.sort()).toEqual(direct.sort());
    // Not a vacuous match: real traffic still carries findings (info: `finish_reason: "end_turn"`).
    expect(replayed.length).toBeGreaterThan(0);
  });

  /** For clients that return the parsed body, or the chunks as an async iterable: compare them with the recording. */
  const asRecorded = (create: (body: unknown) => Promise<unknown>) => async (c: Case) => {
    const res = await create(c.body);
    if (c.status >= 400) return "differs: no error thrown";
    if (!c.stream) return same(res, c.rec.response!.body);
    const chunks: unknown[] = [];
    for await (const x of res as AsyncIterable<unknown>) chunks.push(x);
    return same(chunks, c.events);
  };
  it("the package's client: parsed bodies and stream chunks as recorded, errors typed by status", async () => {
    const client = createOpenRouterClient({ apiKey: "sk-or-v1-replay", baseUrl: server.url, maxRetries: 0 });
    const got = await drive(
      "openrouter-contract",
      (e) => e instanceof OpenRouterError,
      asRecorded((body) => client.chat.completions.create(body as never)),
    );
    expectAll(got);
  });

  it("openai: parsed bodies and stream chunks as recorded, APIError with the recorded status", async () => {
    const openai = new OpenAI({ apiKey: "sk-or-v1-replay", baseURL: server.url, maxRetries: 0 });
    const got = await drive(
      "openai",
      (e) => e instanceof OpenAI.APIError,
      asRecorded((body) => openai.chat.completions.create(body as never)),
    );
    expectAll(got);
  });

  it("@openrouter/sdk: ids, finish reasons and text as recorded, its typed error for the status", async () => {
    const sdk = new OpenRouter({
      apiKey: "sk-or-v1-replay",
      serverURL: server.url,
      retryConfig: { strategy: "none" },
      httpClient: new HTTPClient({ fetcher: recordedBody }),
    });
    const got = await drive(
      "@openrouter/sdk",
      (e) => /ResponseError$/.test(String(e?.constructor?.name)),
      async (c) => {
        sending = c.body;
        const chatRequest = { model: "m", messages: [{ role: "user", content: "x" }], stream: c.stream };
        const res = (await sdk.chat.send({ chatRequest } as never)) as any;
        if (c.status >= 400) return "differs: no error thrown";
        if (!c.stream) {
          const body = c.rec.response!.body as any;
          return same(summary(res, "finishReason"), summary(body, "finish_reason"));
        }
        const chunks: any[] = [];
        for await (const x of res) chunks.push(x);
        return same(streamSummary(chunks), streamSummary(c.events as any[]));
      },
    );
    expectAll(got, SDK_KNOWN);
  });

  it("LangChain (ChatOpenAICompletions): the message text as recorded, errors with the status", async () => {
    const make = (streaming: boolean) =>
      new ChatOpenAICompletions({
        model: "m",
        apiKey: "sk-or-v1-replay",
        maxRetries: 0,
        streaming,
        configuration: { baseURL: server.url, fetch: recordedBody },
      });
    const [plain, streaming] = [make(false), make(true)];
    // LangChain passes openai's APIError through, or wraps it (ContextOverflowError) with the APIError as its cause.
    const isLangChainError = (e: unknown) => e instanceof OpenAI.APIError || LangChainError.isInstance(e);
    const status = (e: unknown) => statusOf(e) ?? statusOf((e as { cause?: unknown })?.cause);
    const got = await drive(
      "langchain",
      isLangChainError,
      async (c) => {
        sending = c.body;
        const prompt = [new HumanMessage("x")];
        if (!c.stream) {
          const msg = await plain.invoke(prompt);
          if (c.status >= 400) return "differs: no error thrown";
          const body = c.rec.response!.body as any;
          return same(msg.content, body.choices?.[0]?.message?.content ?? "");
        }
        let text = "";
        for await (const chunk of await streaming.stream(prompt)) text += String(chunk.content);
        return same(text, streamSummary(c.events as any[]).text);
      },
      status,
    );
    expectAll(got, LANGCHAIN_KNOWN);
  });
});
