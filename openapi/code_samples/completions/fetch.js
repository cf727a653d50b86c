const res = await fetch("https://openrouter.ai/api/v1/completions", {
  method: "POST",
  headers: {
    Authorization: `Bearer ${process.env.OPENROUTER_API_KEY}`,
    "Content-Type": "application/json",
  },
  body: JSON.stringify({
    model: "mistralai/mistral-7b-instruct",
    prompt: "The capital of France is",
    max_tokens: 16,
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
console.log(choice?.text);
