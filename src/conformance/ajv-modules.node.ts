/**
 * Node-only ajv-modules.ts for the CLI's bundle: Ajv and ajv-formats loaded on the first compile, and the bundled
 * spec's explaining validators (generated/explainers.cjs, shipped in the package) on the first explanation; neither
 * at start.
 */
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

export function explainingValidators(): CreateExplainers | undefined {
  if (explainers === undefined) {
    try {
      // The package's own generated/ folder, found through its name (the CLI bundle can live in dist/ or elsewhere).
      const require = createRequire(import.meta.url);
      explainers = require(
        join(dirname(require.resolve("openrouter-contract/package.json")), "generated/explainers.cjs"),
      );
    } catch {
      explainers = null; // not found: failing payloads are explained by validators compiled at run time, as before
    }
  }
  return explainers ?? undefined;
}
