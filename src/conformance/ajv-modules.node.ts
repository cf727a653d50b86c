/**
 * Node-only ajv-modules.ts for the CLI's bundle: Ajv and ajv-formats loaded on the first compile, and the bundled
 * spec's explaining validators (generated/explainers.cjs, shipped in the package) on the first explanation; neither
 * at start.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { AjvModules, CreateExplainers } from "./ajv-modules";

let modules: AjvModules | undefined;

export function ajvModules(): AjvModules {
  if (!modules) {
    const require = createRequire(import.meta.url);
    modules = { Ajv2020: require("ajv/dist/2020.js"), addFormats: require("ajv-formats") };
  }
  return modules;
}

let explainers: CreateExplainers | null | undefined;
const matches = new WeakMap<object, boolean>();

/**
 * The package's generated/explainers.cjs, if it was built from exactly `spec` (its SHA-256 as JSON): a copy of this
 * bundle that finds another version of the package must not explain with that version's code. `sha`: the spec's
 * SHA-256 when known (the bundled spec's, written at generate time), so that it is not computed here.
 */
export function explainingValidators(spec: unknown, sha?: string): CreateExplainers | undefined {
  if (explainers === undefined) {
    try {
      // The package's own generated/ folder, found through its name (the CLI bundle can live in dist/ or elsewhere).
      const require = createRequire(import.meta.url);
      const root = dirname(require.resolve("openrouter-contract/package.json"));
      explainers = require(join(root, "generated/explainers.cjs")) as CreateExplainers;
    } catch {
      explainers = null; // not found: failing payloads are explained by validators compiled at run time, as before
    }
  }
  if (!explainers || !spec || typeof spec !== "object") return undefined;
  let same = matches.get(spec);
  if (same === undefined) {
    same = (sha ?? createHash("sha256").update(JSON.stringify(spec)).digest("hex")) === explainers.spec;
    matches.set(spec, same);
  }
  return same ? explainers : undefined;
}
