// Spec arguments: `--spec <file.json>` and diff's `<base-spec> <head-spec>` (a file or `git:<ref>:<path>`).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadContract } from "../conformance/index";
import { Contract } from "../conformance/contract";
import { riskyPatterns } from "../conformance/guards";
import { checkRefChains } from "../spec/ref";
import { UsageError } from "./args";

const GIT_REF = /^(?!-)[A-Za-z0-9._/~^@{}-]{1,200}$/;

/** The parsed JSON of a spec file, or of `git:<ref>:<path>` read with `git show`. */
export function readSpecArg(arg: string): unknown {
  let text: string;
  if (arg.startsWith("git:")) {
    const rest = arg.slice(4);
    const i = rest.indexOf(":");
    if (i < 0) throw new UsageError(`bad git spec ${arg} (expected git:<ref>:<path>)`);
    const ref = rest.slice(0, i);
    const path = rest.slice(i + 1);
    // The ref reaches git's command line: never an option (git:--output=/tmp/x:y), only revision characters.
    if (!GIT_REF.test(ref)) {
      const expected = "a branch, tag, commit or HEAD~N (letters, digits and ._/~^@{}-, not starting with -)";
      throw new UsageError(`bad git ref ${JSON.stringify(ref)} in ${arg}: expected ${expected}`);
    }
    if (path === "" || path.startsWith("-")) throw new UsageError(`bad path ${JSON.stringify(path)} in ${arg}`);
    try {
      const args = ["show", "--end-of-options", `${ref}:${path}`];
      text = execFileSync("git", args, { encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      throw new UsageError(`cannot read ${arg} from git: ${String((e as { stderr?: unknown }).stderr ?? e).trim()}`);
    }
  } else {
    try {
      text = readFileSync(arg, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read spec ${arg}: ${(e as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`spec ${arg} is not JSON: bundle it first (npm run generate writes generated/openapi.json)`);
  }
}

/** The contract for `--spec` (default: the bundled one); `warn` hears about patterns that may backtrack badly. */
export function contractFrom(
  spec: string | undefined,
  formats: boolean,
  warn: (s: string) => void = () => {},
): Contract {
  if (!spec) return formats ? loadContract() : loadContract(undefined, { formats });
  try {
    const contract = new Contract(readSpecArg(spec), { formats });
    // A hostile or broken spec: refuse $ref cycles and endless chains now, with a message, not a stack overflow later.
    checkRefChains(contract.spec);
    for (const r of riskyPatterns(contract.spec)) {
      const what = `pattern ${JSON.stringify(r.pattern)} at ${r.pointer}`;
      warn(`warning: ${spec}: ${what} has a nested quantifier and can take exponential time on hostile strings\n`);
    }
    return contract;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`invalid spec ${spec}: ${(e as Error).message}`);
  }
}
