// Unknown options are refused, naming the option this client has: in JavaScript a `baseURL` (openai's spelling) or
// `serverURL` (@openrouter/sdk's) would otherwise be ignored and a test key sent to openrouter.ai.
import { describe, expect, test } from "vitest";
import { type ClientOptions, createOpenRouterClient, InvalidRequestError } from "../../src/client/index";

const refusal = (options: Record<string, unknown>) => {
  try {
    createOpenRouterClient(options as ClientOptions);
  } catch (e) {
    return e;
  }
  return undefined;
};

describe("client options", () => {
  test.each([
    ["baseURL", "baseUrl"],
    ["serverURL", "baseUrl"],
    ["serverUrl", "baseUrl"],
    ["defaultHeaders", "headers"],
    ["timeout", "timeoutMs"],
    ["apikey", "apiKey"],
    ["api_key", "apiKey"],
    ["maxRetry", "maxRetries"],
    ["maxBodyByte", "maxBodyBytes"],
    ["httpReferer", "appUrl"],
    ["serverurl", "baseUrl"],
  ])("%s is refused with: did you mean %s", (given, meant) => {
    const e = refusal({ [given]: "http://127.0.0.1:1/api/v1" });
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect((e as Error).message).toBe(`Unknown client option "${given}": did you mean "${meant}"?`);
  });

  test("a name near nothing lists every known option; the value is never quoted", () => {
    const e = refusal({ apiKey: "k", frobnicate: "sk-or-secret" }) as Error;
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect(e.message).toMatch(/^Unknown client option "frobnicate": known options: apiKey, baseUrl, appUrl, /);
    expect(e.message).toContain("maxPartialContentLength");
    expect(e.message).not.toContain("sk-or-secret");
  });

  test("an unknown option is refused even when its value is undefined", () => {
    expect(refusal({ baseURL: undefined })).toBeInstanceOf(InvalidRequestError);
  });

  test("every documented option is accepted", () => {
    const all: Required<ClientOptions> = {
      apiKey: "k",
      baseUrl: "http://127.0.0.1:1/api/v1",
      appUrl: "https://example.com",
      appTitle: "t",
      headers: {},
      fetch: globalThis.fetch,
      timeoutMs: 1,
      totalTimeoutMs: 1,
      maxRetries: 0,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 1,
      middleware: [],
      validate: "off",
      validator: { request: () => [], response: () => [], chunk: () => [] } as never,
      onViolation: () => {},
      inBandErrors: "throw",
      maxLineLength: 1,
      maxBodyBytes: 1,
      maxPartialContentLength: 1,
    };
    expect(refusal(all)).toBeUndefined();
  });

  test("a call's unknown option is refused before anything is sent", async () => {
    let sent = 0;
    const client = createOpenRouterClient({ fetch: async () => (sent++, new Response("{}")), maxRetries: 0 });
    const body = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
    const call = client.chat.completions.create(body, { timeout: 5 } as never);
    await expect(call).rejects.toThrow(InvalidRequestError);
    await expect(call).rejects.toThrow('Unknown request option "timeout": did you mean "timeoutMs"?');
    expect(sent).toBe(0);
  });
});
