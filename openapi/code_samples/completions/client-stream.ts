import { createOpenRouterClient, StreamError } from "openrouter-contract";

const client = createOpenRouterClient({ apiKey: process.env.OPENROUTER_API_KEY });

// Resolves to a Stream once the headers arrive. Keep-alive comments are skipped,
// "data: [DONE]" ends the loop, a body without it throws StreamTruncatedError.
const stream = await client.completions.create({
  model: "mistralai/mistral-7b-instruct",
  prompt: "Once upon a time",
  max_tokens: 64,
  stream: true,
});
try {
  for await (const chunk of stream) {
    process.stdout.write(chunk.choices[0]?.text ?? "");
    if (chunk.usage) console.log("\ntokens:", chunk.usage.total_tokens);
  }
} catch (err) {
  // A mid-stream error chunk (the HTTP status stays 200) throws StreamError.
  if (err instanceof StreamError) console.error(err.code, err.message);
  throw err;
}
