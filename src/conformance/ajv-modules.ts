/**
 * Where validator.ts gets Ajv and ajv-formats. Here: static imports, which every bundler and browser understands. The
 * CLI's build (tsup.config.ts, `lazyAjv`) swaps in ajv-modules.node.ts, which loads them on the first compile, so a
 * command whose payloads pass the precompiled validators never loads Ajv at all.
 */
import Ajv2020 from "ajv/dist/2020.js"; // explicit .js: ajv has no exports map, Node ESM needs the file name
import addFormats from "ajv-formats";

export interface AjvModules {
  Ajv2020: typeof Ajv2020;
  addFormats: typeof addFormats;
}

export function ajvModules(): AjvModules {
  return { Ajv2020, addFormats };
}

type Factory = (rt: Record<string, unknown>) => Record<string, ((data: unknown) => boolean) | undefined>;

/** `generated/explainers.cjs`: the bundled spec's explaining validators, compiled at generate time. */
export interface CreateExplainers {
  /** SHA-256 (hex) of the spec they were compiled from, as JSON. */
  spec: string;
  open: Factory;
  closed: Factory;
}

/**
 * The precompiled explaining validators for `spec`: none in the library, which compiles them at run time on the first
 * failing payload (1.5 MB of code would weigh on every bundle that imports the conformance entry). The CLI's build
 * loads them (ajv-modules.node.ts).
 */
export function explainingValidators(_spec: unknown, _sha?: string): CreateExplainers | undefined {
  return undefined;
}
