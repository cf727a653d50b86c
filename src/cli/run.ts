// The CLI without the process around it: dispatch to a command, map errors to exit codes. The bin entry (main.ts)
// calls it with the process's streams; tests and benchmarks call it with their own.
import { type Io, MAIN_HELP, UsageError } from "./args";
import { cmdCheck } from "./commands/check";
import { cmdDiff } from "./commands/diff";
import { cmdProxy } from "./commands/proxy";
import { cmdReplay } from "./commands/replay";
import { cmdValidate } from "./commands/validate";

export type { Io } from "./args";

/** Run the CLI; returns the exit code (never throws). */
export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case "check":
        return await cmdCheck(rest, io);
      case "validate":
        return await cmdValidate(rest, io);
      case "diff":
        return await cmdDiff(rest, io);
      case "proxy":
        return await cmdProxy(rest, io);
      case "replay":
        return await cmdReplay(rest, io);
      case undefined:
      case "-h":
      case "--help":
      case "help":
        io.stdout(MAIN_HELP);
        return cmd === undefined ? 2 : 0;
      default:
        io.stderr(`unknown command ${JSON.stringify(cmd)}\n\n${MAIN_HELP}`);
        return 2;
    }
  } catch (e) {
    const parseError = (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    const internal = `internal error: ${(e as Error)?.stack ?? String(e)}`;
    const msg = e instanceof UsageError || parseError ? (e as Error).message : internal;
    io.stderr(`openrouter-contract: ${msg}\n`);
    return 2;
  }
}
