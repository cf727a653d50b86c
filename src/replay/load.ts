// Node-only: read recordings from files and folders: the package's JSONL exchange records (proxy --record, the
// recorder middleware), capture files (the ../shared/captures format), single records and HAR files (.json/.har).
import { readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { captureToExchange, isCapture } from "../conformance/capture";
import { harToExchanges, parseExchangeLine, shapeCheck } from "../conformance/exchange";
import type { ExchangeRecord } from "../conformance/types";
import { captureFiles, filesUnder } from "../cli/inputs";
import type { Recording } from "./match";

export interface Loaded {
  recordings: Recording[];
  /** Input that could not be used (not a record, no response recorded), named `file:line` or by path. */
  skipped: { where: string; reason: string }[];
}

/** Files to read for one path argument, in a stable order (a folder: its captures, then its JSONL files). */
function filesOf(path: string): { files: string[]; root: string } {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) return { files: [path], root: join(path, "..") };
  return { files: [...captureFiles(path), ...filesUnder(path, (name) => name.endsWith(".jsonl"))], root: path };
}

function jsonFile(file: string, root: string, add: (rec: ExchangeRecord, where: string) => void, skip: Skip) {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return skip(file, `not JSON (${(e as Error).message})`);
  }
  if (isCapture(v)) {
    const r = captureToExchange(v, relative(root, file) || file);
    return r.ok === true ? add(r.record, file) : skip(file, r.ok === false ? r.error : "empty");
  }
  if (v && typeof v === "object" && "log" in v) {
    const { records, errors } = harToExchanges(v);
    for (const e of errors) skip(`${file}#${e.index}`, e.error);
    for (const [i, rec] of records.entries()) add({ ...rec, id: `${basename(file)}#${i}` }, `${file}#${i}`);
    return;
  }
  const r = shapeCheck(v);
  if (r.ok === true) return add({ ...r.record, id: r.record.id ?? basename(file) }, file);
  skip(file, `not a capture, exchange record or HAR file: ${r.ok === false ? r.error : "empty"}`);
}

type Skip = (where: string, reason: string) => void;

/** Read every recording under `paths`, in argument order, then file order, then line order. */
export function loadRecordings(paths: string[]): Loaded {
  const recordings: Recording[] = [];
  const skipped: Loaded["skipped"] = [];
  const skip: Skip = (where, reason) => void skipped.push({ where, reason });
  const add = (record: ExchangeRecord, where: string) => {
    if (!record.response) return skip(where, "no response recorded (the exchange failed)");
    recordings.push({ id: String(record.id ?? where), index: recordings.length, record });
  };
  for (const p of paths) {
    const { files, root } = filesOf(p);
    for (const file of files) {
      if (!file.endsWith(".jsonl")) {
        jsonFile(file, root, add, skip);
        continue;
      }
      const lines = readFileSync(file, "utf8").split("\n");
      for (const [i, line] of lines.entries()) {
        const r = parseExchangeLine(line);
        const where = `${file}:${i + 1}`;
        if (r.ok === "skip") continue;
        if (r.ok === false) skip(where, r.error);
        else add({ ...r.record, id: r.record.id ? `${basename(file)}:${r.record.id}` : where }, where);
      }
    }
  }
  return { recordings, skipped };
}
