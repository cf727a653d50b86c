curl https://openrouter.ai/api/v1/completions \
  -H "Authorization: Bearer $OPENROUTER_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "model": "mistralai/mistral-7b-instruct",
    "prompt": "The capital of France is",
    "max_tokens": 16
  }'
