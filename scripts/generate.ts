// The only writer of generated/: bundle (YAML + JSON), its streaming form, TypeScript types, Redoc HTML.
//   tsx scripts/generate.ts               -> writes generated/ (`npm run generate`)
//   tsx scripts/generate.ts --check       -> generates into a temp dir, exits 1 if generated/ differs
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import openapiTS, { astToString, NULL, STRING, tsIntersection, tsLiteral, tsUnion } from "openapi-typescript";
import ts from "typescript";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { localRefs, openEnum } from "../src/spec/schema-shapes";
import { docsBundle, LOCAL_LOGO } from "./docs-bundle";
import { inlineSharedProperties } from "./inline-shared-properties";
import { normalizeBundle } from "./normalize-bundle";
import { EXPLAINERS_DTS, precompiledExplainers, precompiledValidators, VALIDATORS_DTS } from "./precompile-validators";
import { streamBundle } from "./stream-bundle";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
const out = values.check ? mkdtempSync(join(tmpdir(), "orc-gen-")) : join(root, "generated");
const redocly = join(root, "node_modules/@redocly/cli/bin/cli.js");
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", FORCE_COLOR: "0" };

function run(args: string[]): void {
  try {
    execFileSync(process.execPath, [redocly, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(String(stdout ?? "") + String(stderr ?? ""));
    throw new Error(`redocly ${args[0]} failed`);
  }
}

mkdirSync(join(out, "docs"), { recursive: true });
const src = "openapi/openapi.yaml";
// Refs are kept (not dereferenced) so codegen in any language gets named types.
run(["bundle", src, "-o", join(out, "openapi.yaml"), "--component-renaming-conflicts-severity=error"]);
// Then rewritten into the form every client generator reads alike (equivalent schemas; see normalize-bundle.ts),
// and written as YAML and JSON: the same document. Pretty-printed and newline-terminated so diffs stay readable.
// The fields both request schemas share are defined once in the source and inlined back into each here (see
// inline-shared-properties.ts).
const shared = parseYaml(readFileSync(join(root, "openapi/shared/request-properties.yaml"), "utf8"));
const bundled = inlineSharedProperties(parseYaml(readFileSync(join(out, "openapi.yaml"), "utf8")), shared);
const bundle = normalizeBundle(bundled);
writeFileSync(join(out, "openapi.yaml"), stringifyYaml(bundle, { lineWidth: 0, aliasDuplicateObjects: false }));
writeFileSync(join(out, "openapi.json"), `${JSON.stringify(bundle, null, 2)}\n`);
// The streaming form for generators that read one schema per response (see stream-bundle.ts).
writeFileSync(join(out, "openapi.stream.json"), `${JSON.stringify(streamBundle(bundle), null, 2)}\n`);
// The fail-fast validators of the bundle as the library loads it (the JSON just written), compiled ahead of time so
// that checking a valid payload compiles nothing at run time (see precompile-validators.ts).
const written = JSON.parse(readFileSync(join(out, "openapi.json"), "utf8"));
writeFileSync(join(out, "validators.js"), precompiledValidators(written));
writeFileSync(join(out, "validators.d.ts"), VALIDATORS_DTS);
// And the explaining validators (every error), which the CLI loads on its first failing payload.
writeFileSync(join(out, "explainers.cjs"), precompiledExplainers(written));
writeFileSync(join(out, "explainers.d.cts"), EXPLAINERS_DTS);

// Types from the bundle. --default-non-nullable false: a `default:` must not make a request field required.
// Open enums (`anyOf: [{type: string, enum: [...]}, {type: string}]`, optionally `{type: 'null'}`; see
// src/spec/schema-shapes.ts): plain openapi-typescript gives `"a" | "b" | string`, which TypeScript collapses to
// `string`; `string & {}` keeps the known values for autocompletion while still accepting any string. The whole
// schema becomes that type, so a `type` of its own beside the `anyOf` must say string too.
// The known values sit in the bundle's `…Known` component (normalize-bundle.ts), resolved here.
function openEnumType(schema: { type?: unknown; anyOf?: unknown }) {
  const open = openEnum(schema, localRefs(bundle));
  if (!open || (schema.type !== undefined && schema.type !== "string")) return undefined;
  const anyString = tsIntersection([STRING, ts.factory.createTypeLiteralNode([])]);
  const members = [...open.values.map((v) => tsLiteral(v)), anyString];
  if (open.nullable) members.push(NULL);
  return tsUnion(members);
}
const ast = await openapiTS(pathToFileURL(join(out, "openapi.yaml")), {
  defaultNonNullable: false,
  rootTypes: true,
  transform: openEnumType,
});
const header =
  "/**\n * This file was auto-generated by openapi-typescript.\n * Do not make direct changes to the file.\n */\n\n";
writeFileSync(join(out, "schema.d.ts"), header + astToString(ast));

// Self-contained docs: Redoc inlined so the page works offline. Built from the docs view of the bundle (SSE bodies
// show the chunk's fields; see docs-bundle.ts), and with Redoc's CDN logo replaced by a local image, so that
// opening the page makes no request off the machine.
const docsDir = mkdtempSync(join(tmpdir(), "orc-docs-"));
try {
  const docsYaml = stringifyYaml(docsBundle(bundle), { lineWidth: 0, aliasDuplicateObjects: false });
  writeFileSync(join(docsDir, "openapi.yaml"), docsYaml);
  run(["build-docs", join(docsDir, "openapi.yaml"), "--inlineBundle", "-o", join(out, "docs/index.html")]);
} finally {
  rmSync(docsDir, { recursive: true, force: true });
}
const html = readFileSync(join(out, "docs/index.html"), "utf8");
const cdnLogo = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
if (!cdnLogo.test(html)) throw new Error("Redoc's logo URL changed: update the replacement in generate.ts");
writeFileSync(join(out, "docs/index.html"), html.replace(cdnLogo, LOCAL_LOGO));

if (values.check) {
  const files = (dir: string) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => relative(dir, join(d.parentPath ?? d.path, d.name)))
      .sort();
  const committed = join(root, "generated");
  const want = files(out);
  const have = existsSync(committed) ? files(committed) : [];
  const stale = [...new Set([...want, ...have])].filter((f) => {
    const a = join(out, f),
      b = join(committed, f);
    return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
  });
  rmSync(out, { recursive: true, force: true });
  if (stale.length) {
    console.error(`generated/ is stale (run \`npm run generate\`): ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log(`generated/ is fresh (${want.length} files)`);
} else {
  const files =
    "openapi.yaml, openapi.json, openapi.stream.json, validators.js, explainers.cjs, schema.d.ts, docs/index.html";
  console.log(`wrote ${relative(root, out)}/: ${files}`);
}
