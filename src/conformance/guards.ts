/** Warnings about specs from elsewhere: schema features that make validation slow on hostile input. */
import { escapeToken } from "../spec/pointer";

type Json = Record<string, unknown>;

/** A group that contains a quantifier and is itself repeated, e.g. `(a+)+` or `(\\w*,)*`: exponential backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,)/;

/**
 * `pattern` keywords that may backtrack exponentially on hostile strings (Ajv runs them with JavaScript's
 * backtracking RegExp). A heuristic (nested quantifiers only), to warn about untrusted specs; returns spec pointers.
 */
export function riskyPatterns(spec: unknown): { pointer: string; pattern: string }[] {
  const out: { pointer: string; pattern: string }[] = [];
  const stack: [unknown, string][] = [[spec, ""]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    if (Array.isArray(v)) for (const [i, x] of v.entries()) stack.push([x, `${p}/${i}`]);
    else
      for (const [k, x] of Object.entries(v as Json)) {
        if (k === "pattern" && typeof x === "string" && NESTED_QUANTIFIER.test(x)) {
          out.push({ pointer: `#${p}/pattern`, pattern: x });
        } else if (k !== "example" && k !== "examples") stack.push([x, `${p}/${escapeToken(k)}`]);
      }
  }
  return out;
}
