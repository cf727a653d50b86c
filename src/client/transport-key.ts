/**
 * Where a client keeps its transport for `withRaw`: a registered symbol, so that the `./raw` entry (a separate
 * bundle, with its own copy of any module it imports) finds it on clients made by the main entry.
 */
export const TRANSPORT: unique symbol = Symbol.for("openrouter-contract.transport");
