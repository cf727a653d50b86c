const res = await fetch("https://openrouter.ai/api/v1/chat/completions", {
  method: "POST",
  headers: {
    Authorization: `Bearer ${process.env.OPENROUTER_API_KEY}`,
    "Content-Type": "application/json",
    Accept: "text/event-stream",
  },
  body: JSON.stringify({
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "Count from 1 to 5." }],
    stream: true,
  }),
});
if (!res.ok || !res.body) {
  throw new Error(`OpenRouter ${res.status}: ${await res.text()}`);
}

// Server-sent events: lines ending in \n; an empty line ends an event.
const lines = res.body.pipeThrough(new TextDecoderStream()).getReader();
let buffer = "";
let data = "";
let finished = false;
while (!finished) {
  const { value, done } = await lines.read();
  if (done) throw new Error("Stream ended before data: [DONE]");
  buffer += value;
  let nl;
  while (!finished && (nl = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, nl).replace(/\r$/, "");
    buffer = buffer.slice(nl + 1);
    // Comment line, e.g. the ": OPENROUTER PROCESSING" keep-alive: skip it.
    if (line.startsWith(":")) continue;
    if (line.startsWith("data:")) {
      data += (data ? "\n" : "") + line.slice(5).trimStart();
      continue;
    }
    // Other fields (event:, id:, retry:) are not used by OpenRouter.
    if (line !== "" || data === "") continue;
    const payload = data;
    data = "";
    if (payload === "[DONE]") {
      finished = true;
      break;
    }
    const chunk = JSON.parse(payload);
    // Mid-stream failure: the status stays 200, the last chunk has a top-level
    // error and no [DONE] follows.
    if (chunk.error) {
      throw new Error(`Stream error ${chunk.error.code}: ${chunk.error.message}`);
    }
    process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
    if (chunk.usage) console.log("\ntokens:", chunk.usage.total_tokens);
  }
}
await lines.cancel();
