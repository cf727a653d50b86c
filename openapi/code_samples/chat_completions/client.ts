import { createOpenRouterClient, OpenRouterError } from "openrouter-contract";

const client = createOpenRouterClient({
  apiKey: process.env.OPENROUTER_API_KEY,
  appUrl: "https://example.com", // optional app attribution (HTTP-Referer)
  appTitle: "Example app", // optional app attribution (X-OpenRouter-Title)
});

try {
  const completion = await client.chat.completions.create({
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "What is the meaning of life?" }],
  });
  console.log(completion.choices?.[0]?.message.content);
  console.log("tokens:", completion.usage?.total_tokens);
} catch (err) {
  // HTTP errors (400, 401, 402, 429, ...) and in-band failures (200 with
  // finish_reason "error") are OpenRouterError subclasses. 408, 429 and 5xx
  // are retried first (maxRetries, default 2).
  if (err instanceof OpenRouterError) console.error(err.status, err.code, err.message);
  throw err;
}
