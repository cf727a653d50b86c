/** Local `$ref` resolution inside one document (the bundle keeps component refs): the one resolver of the project. */
import { getAt, isJsonObject } from "./pointer";

type Json = Record<string, unknown>;

/** Longest chain of schemas that are only a `$ref` to another (longer chains, and cycles, are refused). */
export const MAX_REF_CHAIN = 64;

/** The target of a local `$ref` (`#` or `#/...`), or undefined when `node` is not one. */
export function localRef(node: unknown): string | undefined {
  const ref = isJsonObject(node) ? node.$ref : undefined;
  return typeof ref === "string" && (ref === "#" || ref.startsWith("#/")) ? ref : undefined;
}

export interface Resolved {
  /** The first node on the way that is not a local `$ref` (or the last ref node, when the chain is too long). */
  node: unknown;
  /** Pointer of `node`: the last `$ref` followed, else the pointer the walk started from. */
  pointer: string;
  /** The last `$ref` followed; absent when `node` was not a ref. */
  ref?: string;
}

export interface ResolveOptions {
  /**
   * Keep the keywords written beside a `$ref` (OpenAPI 3.1 allows `{$ref, description}`): they override the target's.
   * Default false: the target alone.
   */
  mergeSiblings?: boolean;
}

/**
 * Follow local `$ref`s from `node` (found at `pointer`) until a node that is not one. Stops after MAX_REF_CHAIN
 * hops (a cycle) and returns the ref node reached; `derefPointer` turns that into an error.
 */
export function resolveRef(doc: unknown, node: unknown, pointer = "", opts: ResolveOptions = {}): Resolved {
  let cur = node;
  let at = pointer;
  let last: string | undefined;
  for (let i = 0; i < MAX_REF_CHAIN; i++) {
    const ref = localRef(cur);
    if (ref === undefined) break;
    const target = getAt(doc, ref);
    last = at = ref;
    if (opts.mergeSiblings && isJsonObject(target)) {
      const { $ref: _r, ...siblings } = cur as Json;
      cur = Object.keys(siblings).length ? { ...target, ...siblings } : target;
    } else cur = target;
  }
  return last === undefined ? { node: cur, pointer: at } : { node: cur, pointer: at, ref: last };
}

/** Resolve the node at `pointer`, following its `$ref`s; a chain that does not end (a cycle) is an error. */
export function derefPointer(doc: unknown, pointer: string): { node: unknown; pointer: string } {
  const r = resolveRef(doc, getAt(doc, pointer), pointer);
  if (localRef(r.node) !== undefined) throw new Error(`$ref cycle at ${pointer}`);
  return { node: r.node, pointer: r.pointer };
}

/** `node` with its `$ref`s followed, as an object (`{}` when missing or not an object). */
export function derefObject(doc: unknown, node: unknown): Json {
  const n = resolveRef(doc, node).node;
  return isJsonObject(n) ? n : {};
}

/**
 * Refuse `$ref` chains a validator cannot resolve with a bounded stack: a schema that is only a `$ref` to another, to
 * another, ... (cycles, or chains longer than MAX_REF_CHAIN). A clear message instead of a stack overflow.
 */
export function checkRefChains(spec: unknown): void {
  // Links from a ref to the end of its chain (memoised, so each ref is followed once).
  const links = new Map<string, number>();
  const visit = (start: string) => {
    const chain: string[] = [];
    const onChain = new Set<string>();
    let ref: string | undefined = start;
    while (ref !== undefined && !links.has(ref)) {
      if (onChain.has(ref)) throw new Error(`$ref cycle: ${[...chain.slice(chain.indexOf(ref)), ref].join(" -> ")}`);
      chain.push(ref);
      onChain.add(ref);
      let node: unknown;
      try {
        node = getAt(spec, ref);
      } catch {
        node = undefined;
      }
      ref = localRef(node);
    }
    let n = ref === undefined ? 0 : links.get(ref)!;
    for (let i = chain.length - 1; i >= 0; i--) {
      n++;
      if (n > MAX_REF_CHAIN) {
        const head = chain.slice(i, i + 3).join(" -> ");
        throw new Error(`$ref chain longer than ${MAX_REF_CHAIN} links from ${chain[i]} (${head} -> ...)`);
      }
      links.set(chain[i]!, n);
    }
  };
  const stack: unknown[] = [spec];
  let seen = 0;
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== "object") continue;
    if (++seen > 5_000_000) throw new Error("spec has more than 5 million JSON nodes");
    const t = localRef(v);
    if (t !== undefined) visit(t);
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else for (const x of Object.values(v as Json)) stack.push(x);
  }
}
