// What --enforce guarantees: a request reaches the upstream only if the proxy checked it as the upstream will read
// it. So, when enforcing, it refuses (in OpenRouter's envelope, `x-contract-proxy: rejected`) what it cannot check:
// a body over --max-body-bytes (413) or in an encoding it cannot decode (415), a documented path in another spelling
// (`/chat/completions/`, `//chat/completions`, `complet%69ons`, `/Chat/Completions`: 400, the upstream may route it
// to the operation unchecked), and duplicate JSON keys (400: which one wins depends on the parser). Bodies with a
// UTF-8 BOM or Content-Encoding gzip/deflate/br are decoded and checked, not refused.
import zlib from "node:zlib";
import type { Contract } from "../../conformance/contract";
import type { EnvelopeViolation } from "../../conformance/envelope";

export interface Refusal {
  status: number;
  message: string;
  violations?: EnvelopeViolation[];
}

/** The documented path a non-canonical spelling stands for, if any. */
export function respelledPath(contract: Contract, method: string, target: URL): string | undefined {
  if (contract.match(method, target.href).op) return undefined;
  let p = target.pathname;
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep as sent */
  }
  const canon = new URL(target.href);
  canon.pathname = p
    .replace(/\/{2,}/g, "/")
    .replace(/\/+$/, "")
    .toLowerCase();
  const op = contract.match(method, canon.href).op;
  return op ? op.path : undefined;
}

/**
 * The request body as the checks read it: decoded (gzip, deflate, br; at most `max` bytes), without a UTF-8 BOM.
 * Undefined when it cannot be decoded within `max`.
 */
export function bodyForCheck(body: Buffer, encoding: string | undefined, max: number): Buffer | undefined {
  const e = (encoding ?? "").trim().toLowerCase();
  let out = body;
  try {
    if (e === "gzip" || e === "x-gzip") out = zlib.gunzipSync(body, { maxOutputLength: max });
    else if (e === "deflate") out = zlib.inflateSync(body, { maxOutputLength: max });
    else if (e === "br") out = zlib.brotliDecompressSync(body, { maxOutputLength: max });
    else if (e !== "" && e !== "identity") return undefined;
  } catch {
    return undefined;
  }
  return out[0] === 0xef && out[1] === 0xbb && out[2] === 0xbf ? out.subarray(3) : out;
}

/** JSON pointer of the first key that appears twice in one object of `text` (valid JSON), if any. Linear. */
export function duplicateKey(text: string): string | undefined {
  // One frame per open object/array: its keys so far, the current key or index.
  const stack: { keys?: Set<string>; at: string | number }[] = [];
  const pointer = () => stack.map((f) => `/${String(f.at).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        top.at = key;
        if (top.keys.has(key)) return pointer();
        top.keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === "{") {
      stack.push({ keys: new Set(), at: "" });
      expectKey = true;
    } else if (c === "[") stack.push({ at: 0 });
    else if (c === "}" || c === "]") stack.pop();
    else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.keys) expectKey = true;
      else if (top) top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}
