#!/usr/bin/env node
// The minimal browser app (one JSON call, one streaming call with the typed client), bundled by esbuild --minify for
// the browser with and without code splitting, gzip -9; and what each module adds to it. bench/client.mjs (section 3)
// reports the sizes; run alone, `node bench/app-bundle.mjs` prints the sizes and the composition of the app built
// from src/client/index.ts (within ~20 B of the app built from tsup's dist/index.js).
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";

/** The app: a client, one JSON call, one streamed call. */
export const appSource = (entry) => `
import { createOpenRouterClient } from ${JSON.stringify(entry)};
const client = createOpenRouterClient({ apiKey: "sk-or-v1-demo", appTitle: "Demo" });
const res = await client.chat.completions.create({
  model: "openai/gpt-4o-mini",
  messages: [{ role: "user", content: "Hi" }],
});
console.log(res.choices[0].message.content);
for await (const chunk of await client.chat.completions.create({
  model: "openai/gpt-4o-mini",
  messages: [{ role: "user", content: "Hi" }],
  stream: true,
})) {
  console.log(chunk.choices[0]?.delta?.content ?? "");
}
`;

export const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;

const bundleApp = (root, entry, { minify = true, splitting = false } = {}) =>
  build({
    stdin: { contents: appSource(entry), resolveDir: root, loader: "js", sourcefile: "app.js" },
    bundle: true,
    minify,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
    splitting,
    outdir: resolve(root, ".tmp/bench-client/app"),
    nodePaths: [resolve(root, "node_modules")],
  });

/**
 * Sizes of the app: the initial chunk of the split build (and its lazy chunks, gzip), and the single file of the
 * unsplit build. `min` is minified bytes, `gz` gzip -9 bytes.
 */
export async function appSizes(root, entry) {
  const split = await bundleApp(root, entry, { splitting: true });
  const initial = split.outputFiles.find((f) => f.path.endsWith("app.js")) ?? split.outputFiles[0];
  const lazy = split.outputFiles.filter((f) => f !== initial && f.path.endsWith(".js")).map((f) => gz(f.contents));
  const single = (await bundleApp(root, entry)).outputFiles.find((f) => f.path.endsWith(".js"));
  return {
    initial: { min: initial.contents.length, gz: gz(initial.contents) },
    lazy,
    single: { min: single.contents.length, gz: gz(single.contents) },
  };
}

/**
 * What each module adds to the single-file app: the app is bundled unminified (esbuild starts each module with a
 * `// path` comment), then minified whole and minified without that module's code; `gz` is the difference of the
 * two gzip sizes (delete-and-measure: what removing the module would save), `min` the module's own minified size.
 * `entry` must be a source entry (src/client/index.ts): a prebuilt dist file is one module.
 */
export async function appComposition(root, entry) {
  const text = (await bundleApp(root, entry, { minify: false })).outputFiles[0].text;
  const parts = text.split(/^(?=\/\/ \S+\n)/m);
  const minified = async (code) => (await transform(code, { minify: true, format: "esm", target: "es2022" })).code;
  const whole = gz(await minified(text));
  const rows = [];
  for (const [i, part] of parts.entries()) {
    const rest = parts.filter((_, j) => j !== i).join("");
    const name = part.startsWith("// ") ? part.slice(3, part.indexOf("\n")) : "(prelude)";
    rows.push({ module: name, min: (await minified(part)).length, gz: whole - gz(await minified(rest)) });
  }
  return { whole, rows: rows.sort((a, b) => b.gz - a.gz) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(import.meta.url), "../..");
  const entry = resolve(root, "src/client/index.ts");
  const s = await appSizes(root, entry);
  console.log(`minimal browser app from src/client/index.ts, esbuild --minify, gzip -9:`);
  console.log(
    `  split: initial chunk ${s.initial.min} B min, ${s.initial.gz} B gzip; lazy: ${s.lazy.join(", ") || "none"}`,
  );
  console.log(`  unsplit: ${s.single.min} B min, ${s.single.gz} B gzip`);
  const { whole, rows } = await appComposition(root, entry);
  console.log(`composition (re-minified whole ${whole} B gzip; gzip B each module adds, its own minified B):`);
  for (const r of rows) console.log(`  ${String(r.gz).padStart(5)}  ${String(r.min).padStart(6)}  ${r.module}`);
}
