#!/usr/bin/env node
// Hostile-input benchmark: work must grow linearly with the number of violations in one payload.
//   npm run bench:hostile            (node --import tsx bench/hostile.mjs; BENCH_QUICK=1 for smaller sizes)
// Work stops after ERROR_LIMIT (10 000) raw errors per payload, so past that size the growth flattens.
// Prints medians, the growth ratio between sizes (linear: ~= the size ratio; quadratic: its square) and a baseline
// measured in the same run (JSON.parse + JSON.stringify of the same body, which is linear by construction).
import { request } from "node:http";
import { checkExchange, validateRequest } from "../src/conformance/index.ts";
import { startMock } from "../mock/server.ts";
import { median } from "./stats.mjs";

const quick = !!process.env.BENCH_QUICK;
const time = (f, rounds = 5) =>
  median(
    Array.from({ length: rounds }, () => {
      const t = performance.now();
      f();
      return performance.now() - t;
    }),
  );
const bad = (n) => ({ model: "openai/gpt-4o", messages: Array.from({ length: n }, () => ({})) });
const ms = (x) => `${x.toFixed(1)} ms`;

// 1. validateRequest with n `{}` messages. Warm-up compiles both validators (the second one past the error limit).
validateRequest("createChatCompletion", bad(30_000));
let prev;
console.log("validateRequest, n messages {} (median of 5):");
for (const n of quick ? [5_000, 10_000, 20_000] : [12_500, 25_000, 50_000]) {
  const body = bad(n);
  const t = time(() => validateRequest("createChatCompletion", body));
  const base = time(() => JSON.parse(JSON.stringify(body)));
  const growth = prev ? `  growth x${(t / prev).toFixed(2)} for 2x items` : "";
  console.log(
    `  ${String(n).padStart(6)}: ${ms(t).padStart(10)}  baseline ${ms(base).padStart(9)}  ` +
      `x${(t / base).toFixed(1)} baseline${growth}`,
  );
  prev = t;
}

// 2. One exchange record whose request carries KB of bad messages, through checkExchange (what `check` runs per line).
prev = undefined;
console.log("checkExchange, one record with a request body of bad messages (median of 5):");
for (const kb of quick ? [80, 160, 320] : [160, 320, 640]) {
  const n = Math.floor((kb * 1024) / 64);
  const msgs = Array.from({ length: n }, (_, i) => ({ role: "user", content: [{ type: "image_url", image_url: i }] }));
  const rec = {
    v: 1,
    request: {
      method: "POST",
      url: "https://openrouter.ai/api/v1/chat/completions",
      headers: { "content-type": "application/json", authorization: "[REDACTED]" },
      body: { model: "m", messages: msgs },
    },
  };
  const line = JSON.stringify(rec);
  if (prev === undefined) checkExchange(JSON.parse(line)); // warm-up
  const t = time(() => checkExchange(JSON.parse(line)));
  const base = time(() => JSON.stringify(JSON.parse(line)));
  const growth = prev ? `  growth x${(t / prev).toFixed(2)} for 2x size` : "";
  console.log(
    `  ${String((line.length / 1024).toFixed(0)).padStart(5)} KB: ${ms(t).padStart(10)}  ` +
      `baseline ${ms(base).padStart(9)}  x${(t / base).toFixed(1)} baseline${growth}`,
  );
  prev = t;
}

// 3. The mock: n `{}` messages, with a small valid request sent while the big one is processed.
const mock = await startMock({ port: 0 });
const post = (body) =>
  new Promise((resolve, reject) => {
    const t = performance.now();
    const u = new URL(`${mock.baseUrl}/chat/completions`);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
      },
      (res) => {
        let bytes = 0;
        res.on("data", (c) => (bytes += c.length));
        res.on("end", () => resolve({ status: res.statusCode, bytes, ms: performance.now() - t }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
const small = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] });
for (let i = 0; i < 3; i++) await post(small);
const baseline = median(await Promise.all([0, 1, 2, 3, 4].map(() => post(small))).then((r) => r.map((x) => x.ms)));
console.log(`mock, n messages {} (median of 3; baseline: a small valid request ${ms(baseline)}):`);
prev = undefined;
for (const n of quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]) {
  const body = JSON.stringify(bad(n));
  const runs = [];
  let rss = 0;
  const iv = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 20);
  for (let i = 0; i < 3; i++) {
    const big = post(body);
    await new Promise((r) => setTimeout(r, 5));
    const [b, h] = await Promise.all([big, post(small)]);
    runs.push({ b, h });
  }
  clearInterval(iv);
  const t = median(runs.map((r) => r.b.ms));
  const growth = prev ? `, growth x${(t / prev).toFixed(1)} for 10x items` : "";
  const smallMs = ms(median(runs.map((r) => r.h.ms)));
  console.log(
    `  ${String(n).padStart(8)} (${(body.length / 1024).toFixed(0)} KB): ${runs[0].b.status} in ${ms(t)}, ` +
      `answer ${(runs[0].b.bytes / 1024).toFixed(1)} KB, concurrent small request ${smallMs}, ` +
      `peak RSS ${(rss / 2 ** 20).toFixed(0)} MB${growth}`,
  );
  prev = t;
}
await mock.close();
