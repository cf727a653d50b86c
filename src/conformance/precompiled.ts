/**
 * The bundled spec's fail-fast validators, compiled at generate time (generated/validators.js, Ajv standalone code
 * written by scripts/precompile-validators.ts): a payload that passes costs no compile; one that fails is explained
 * by the explaining validators, precompiled too in the CLI (generated/explainers.cjs), compiled at run time elsewhere.
 * Created on first use.
 */
import { fullFormats } from "ajv-formats/dist/formats.js";
import ucs2length from "ajv/dist/runtime/ucs2length.js";
import equal from "ajv/dist/runtime/equal.js";
import { createValidators, specSha } from "../../generated/validators.js";
import { bundledSpec } from "../spec/bundle";
import { explainingValidators } from "./ajv-modules";
import { type ExplainerRuntime, OPENAPI_FORMATS, type Precompiled } from "./validator";

// Node hands an ESM importer a CommonJS module's `exports` (`.default` inside); bundlers hand it `exports.default`.
const unwrap = <T>(m: T | { default: T }): T =>
  m && typeof m === "object" && "default" in m ? (m as { default: T }).default : (m as T);

let validators: Precompiled | undefined;
type Helpers = Parameters<typeof createValidators>[0];
let runtime: Helpers | undefined;
/** What Ajv's standalone code refers to: the formats and Ajv's runtime helpers. */
const shared = (): Helpers =>
  (runtime ??= {
    formats: { ...fullFormats, ...OPENAPI_FORMATS },
    ucs2length: unwrap(ucs2length),
    equal: unwrap(equal) as Helpers["equal"],
  });

/** The validators by `open:<pointer>` / `closed:<pointer>` (the runtime names Ajv's standalone code refers to). */
export function precompiledValidators(): Precompiled {
  validators ??= createValidators(shared());
  return validators;
}

/**
 * The explaining validators (every error, verbose) by `open:<pointer>` / `closed:<pointer>`, one set per contract:
 * their errors carry that contract's own schema objects (`rt.schema`) and count against its error limit. Only where
 * the build provides them (the CLI); elsewhere undefined, and the store compiles at run time.
 */
export function precompiledExplainers(
  spec: unknown,
): ((kind: "open" | "closed", rt: ExplainerRuntime) => Precompiled) | undefined {
  // The bundled spec's SHA-256 was written beside its verdicts (generated/validators.js): not hashed again here.
  const create = explainingValidators(spec, spec === bundledSpec ? specSha : undefined);
  return create && ((kind, rt) => create[kind]({ ...shared(), ...rt }));
}
