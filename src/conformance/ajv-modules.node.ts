/** Node-only ajv-modules.ts for the CLI's bundle: Ajv and ajv-formats loaded on the first compile, not at start. */
import { createRequire } from "node:module";
import type { AjvModules } from "./ajv-modules";

let modules: AjvModules | undefined;

export function ajvModules(): AjvModules {
  if (!modules) {
    const require = createRequire(import.meta.url);
    modules = { Ajv2020: require("ajv/dist/2020.js"), addFormats: require("ajv-formats") };
  }
  return modules;
}
