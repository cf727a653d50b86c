# -N turns off curl's output buffering, so events print as they arrive: optional
# ": OPENROUTER PROCESSING" keep-alive comments, one "data: {chunk}" line per event,
# a last chunk with "usage", then "data: [DONE]".
curl -N https://openrouter.ai/api/v1/chat/completions \
  -H "Authorization: Bearer $OPENROUTER_API_KEY" \
  -H "Content-Type: application/json" \
  -H "Accept: text/event-stream" \
  -d '{
    "model": "openai/gpt-4o-mini",
    "messages": [{"role": "user", "content": "Count from 1 to 5."}],
    "stream": true
  }'
