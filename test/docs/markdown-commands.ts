// Extracts the shell commands of a Markdown document, with the `readme-test` markers that say how to run them.
// Convention (documented in CONTRIBUTING.md): fenced blocks tagged sh, bash, shell or console are commands;
// a marker comment right before a block adjusts how its commands are run:
//   <!-- readme-test: skip (why) -->                     the whole block is not run
//   <!-- readme-test: skip "npm ci" (why) -->            commands starting with `npm ci` are not run
//   <!-- readme-test: exit "npm run -s cli" 1 -->        those commands must exit 1 (default 0)
//   <!-- readme-test: server "npm start" probe /docs --> runs in the background on a free PORT until the end
// Directives are separated by `;` (not inside a reason). A quoted selector matches a command equal to it or starting
// with it plus a space.

export const SHELL_LANGS = new Set(["sh", "bash", "shell", "console"]);

export interface Command {
  /** The command as a shell would read it (continuation lines joined). */
  text: string;
  /** 1-based line in the document where the command starts. */
  line: number;
  mode: "run" | "skip" | "server";
  /** Expected exit code for `run`. */
  exit: number;
  /** Why it is skipped. */
  reason?: string;
  /** For `server`: path to GET until it answers 200, and the port the document shows (replaced by a free one). */
  probe?: string;
  port?: number;
}

export class MarkerError extends Error {}

interface Directive {
  verb: "skip" | "exit" | "server";
  selector?: string;
  reason?: string;
  exit?: number;
  probe?: string;
  port?: number;
}

const MARKER = /^\s*<!--\s*readme-test:(.*?)-->\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/;

/** Splits on `;` outside quotes and parentheses (a reason may contain a `;`). */
function splitDirectives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")") depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ";") {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function parseDirectives(body: string, line: number): Directive[] {
  const fail = (msg: string) => new MarkerError(`line ${line}: ${msg} in marker "readme-test:${body}"`);
  const out: Directive[] = [];
  for (const raw of splitDirectives(body)) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(\w+)\s*(?:"([^"]+)")?\s*(.*)$/.exec(part);
    if (!m) throw fail(`cannot read "${part}"`);
    const [, verb, selector, rest = ""] = m;
    const reasonMatch = /\(([^)]*)\)\s*$/.exec(rest);
    const reason = reasonMatch?.[1]?.trim();
    const args = (reasonMatch ? rest.slice(0, reasonMatch.index) : rest).trim().split(/\s+/).filter(Boolean);
    const d: Directive = { verb: verb as Directive["verb"] };
    if (selector) d.selector = selector;
    if (reason) d.reason = reason;
    if (verb === "skip") {
      if (!reason) throw fail(`"skip" needs a reason in parentheses`);
      if (args.length) throw fail(`unexpected "${args.join(" ")}" after skip`);
    } else if (verb === "exit") {
      if (args.length !== 1 || !/^\d+$/.test(args[0]!)) throw fail(`"exit" needs one exit code`);
      d.exit = Number(args[0]);
    } else if (verb === "server") {
      if (!selector) throw fail(`"server" needs the quoted command`);
      for (let i = 0; i < args.length; i += 2) {
        const [key, value] = [args[i], args[i + 1]];
        if (key === "probe" && value?.startsWith("/")) d.probe = value;
        else if (key === "port" && /^\d+$/.test(value ?? "")) d.port = Number(value);
        else throw fail(`"server" takes "probe /path" and "port N", not "${args.slice(i).join(" ")}"`);
      }
    } else {
      throw fail(`unknown directive "${verb}" (skip, exit or server)`);
    }
    out.push(d);
  }
  if (!out.length) throw fail("no directive");
  return out;
}

/** The commands of one fenced block: every line of sh/bash/shell, the `$ ` lines of console. */
function blockCommands(lang: string, lines: { text: string; line: number }[]): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  for (const { text, line } of lines) {
    if (current) {
      current.text += `\n${text}`;
    } else {
      let cmd = text;
      if (lang === "console") {
        if (!text.startsWith("$ ")) continue; // output
        cmd = text.slice(2);
      }
      if (!cmd.trim() || cmd.trim().startsWith("#")) continue;
      current = { text: cmd, line };
    }
    if (!/\\$/.test(text)) {
      out.push({ text: current.text.trim(), line: current.line });
      current = undefined;
    }
  }
  if (current) out.push({ text: current.text.trim(), line: current.line });
  return out;
}

const selects = (selector: string, text: string) => text === selector || text.startsWith(`${selector} `);

/** All shell commands of `markdown` in document order, markers applied. Throws MarkerError on a bad marker. */
export function extractCommands(markdown: string): Command[] {
  const lines = markdown.split(/\r?\n/);
  const out: Command[] = [];
  let pending: { directives: Directive[]; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const marker = MARKER.exec(l);
    if (marker) {
      if (pending) throw new MarkerError(`line ${pending.line}: marker not followed by a code block`);
      pending = { directives: parseDirectives(marker[1]!, i + 1), line: i + 1 };
      continue;
    }
    const fence = FENCE.exec(l);
    if (!fence) {
      if (pending && l.trim()) throw new MarkerError(`line ${pending.line}: marker not followed by a code block`);
      continue;
    }
    const [, ticks, lang = ""] = fence;
    const body: { text: string; line: number }[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = lines[j]!.trim();
      if (close.startsWith(ticks!) && close.replace(/[`~]/g, "") === "") break;
      body.push({ text: lines[j]!, line: j + 1 });
    }
    i = j;
    const directives = pending?.directives ?? [];
    const markerLine = pending?.line;
    pending = undefined;
    if (!SHELL_LANGS.has(lang)) {
      if (directives.length) {
        throw new MarkerError(`line ${markerLine}: marker before a "${lang || "plain"}" block, which is never run`);
      }
      continue;
    }
    const cmds = blockCommands(lang, body);
    for (const d of directives) {
      if (d.selector && !cmds.some((c) => selects(d.selector!, c.text))) {
        throw new MarkerError(`line ${markerLine}: "${d.selector}" matches no command of the block below it`);
      }
    }
    for (const c of cmds) {
      const mine = directives.filter((d) => !d.selector || selects(d.selector, c.text));
      const cmd: Command = { ...c, mode: "run", exit: 0 };
      for (const d of mine) {
        if (d.verb === "skip") Object.assign(cmd, { mode: "skip", reason: d.reason });
        else if (d.verb === "exit") cmd.exit = d.exit!;
        else if (cmd.mode !== "skip") {
          Object.assign(cmd, { mode: "server", port: d.port ?? 4010, ...(d.probe ? { probe: d.probe } : {}) });
        }
      }
      out.push(cmd);
    }
  }
  if (pending) throw new MarkerError(`line ${pending.line}: marker not followed by a code block`);
  return out;
}
