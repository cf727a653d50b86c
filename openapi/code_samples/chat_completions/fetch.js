const res = await fetch("https://openrouter.ai/api/v1/chat/completions", {
  method: "POST",
  headers: {
    Authorization: `Bearer ${process.env.OPENROUTER_API_KEY}`,
    "Content-Type": "application/json",
  },
  body: JSON.stringify({
    model: "openai/gpt-4o-mini",
    messages: [{ role: "user", content: "What is the meaning of life?" }],
  }),
});
const body = await res.json();
// Errors before generation: non-2xx status and
// {"error": {"code": 429, "message": "...", "metadata": {...}}}.
if (!res.ok) throw new Error(`OpenRouter ${res.status}: ${body.error?.message}`);
// Failure after generation started: status 200, finish_reason "error", choices[].error.
const choice = body.choices?.[0];
if (choice?.finish_reason === "error") {
  throw new Error(`Generation failed: ${choice.error?.message}`);
}
console.log(choice?.message?.content);
