# -N turns off curl's output buffering, so events print as they arrive: optional
# ": OPENROUTER PROCESSING" keep-alive comments, one "data: {chunk}" line per event,
# a last chunk with "usage", then "data: [DONE]".
curl -N https://openrouter.ai/api/v1/completions \
  -H "Authorization: Bearer $OPENROUTER_API_KEY" \
  -H "Content-Type: application/json" \
  -H "Accept: text/event-stream" \
  -d '{
    "model": "mistralai/mistral-7b-instruct",
    "prompt": "Once upon a time",
    "max_tokens": 64,
    "stream": true
  }'
