// The copy of a response body, as the pump hands it over (decoded, in order, behind the forwarding): SSE goes to the
// stream checks as it comes (worker or this thread), JSON is collected (up to maxBody) and checked at the end, and
// every byte goes to the record. At the end the exchange is reported.
import type { IncomingMessage } from "node:http";
import type { Contract } from "../../conformance/contract";
import type { ExchangeRecord, Mode } from "../../conformance/types";
import { findMedia, findResponse, opName } from "../../spec/operations";
import type { CheckWorker } from "./check-worker";
import { decoderFor, forwardable, lowerHeaders } from "./forward";
import type { PumpOptions } from "./pump";
import type { Recording } from "./record";
import type { Exchange, ReportStage } from "./report";
import { localChecks } from "./stream-checks";
import { Utf8Stream } from "./utf8";

export interface CopyContext {
  ex: Exchange;
  rec?: Recording;
  stage: ReportStage;
  contract: Contract;
  mode: Mode;
  maxBody: number;
  maxLag: number;
  method: string;
  url: string;
  /** The check worker, when stream checks run there. */
  remote(): CheckWorker | undefined;
}

/** What the pump needs for this response's copy; `wake` is bound to the pump once it exists. */
export function responseCopy(
  c: CopyContext,
  up: IncomingMessage,
): Pick<PumpOptions, "consume" | "decoder" | "busy" | "done"> & { bindWake(f: () => void): void } {
  const { ex, rec, stage } = c;
  const status = up.statusCode ?? 502;
  const ct = String(up.headers["content-type"] ?? "");
  const m = c.contract.match(c.method, c.url);
  const media = m.op ? findMedia(findResponse(m.op, status)?.content ?? [], ct) : undefined;
  const encoding = up.headers["content-encoding"] as string | undefined;
  const decoder = decoderFor(encoding);
  let wake: () => void = () => undefined;
  if (media?.kind === "sse" && status < 300 && decoder !== null) {
    const live = (vs: Parameters<ReportStage["live"]>[1]) => void stage.live(ex, vs);
    const w = c.remote();
    ex.sse = w
      ? w.checks(ex.id, c.method, c.url, status, ct, c.maxLag, live, () => wake())
      : localChecks(c.contract, media, c.mode, live);
    ex.operation = opName(m.op!);
  }
  const td = new Utf8Stream();
  let text = "";
  let whole = true;
  if (decoder === null) {
    whole = false;
    stage.note(ex, `content-encoding ${String(encoding)} cannot be decoded: body forwarded, not checked`);
  }
  const consume = (b: Buffer, spare: boolean) => {
    rec?.chunk(b);
    if (ex.sse)
      ex.sse.feed(b, spare && !rec); // the record keeps b: the checks must not take it
    else if (text.length < c.maxBody) text += td.decode(b);
    else whole = false;
  };
  const done = (ok: boolean, decodedWhole: boolean) => {
    const complete = ok && whole && decodedWhole;
    const s = ex.sse;
    const response: NonNullable<ExchangeRecord["response"]> = { status, headers: lowerHeaders(up.headers), complete };
    if (!s) {
      text += td.end();
      if (text !== "") {
        let parsed: unknown;
        if (complete && /json/i.test(ct)) {
          try {
            parsed = JSON.parse(text);
          } catch {
            /* checked as text: body_is_json */
          }
        }
        if (parsed !== undefined) response.body = parsed;
        else response.bodyText = text;
      }
    }
    rec?.response(status, forwardable(up.rawHeaders), complete);
    const note = ok ? undefined : "response cut short (recorded as incomplete)";
    if (!s) return stage.finalize(ex, response, note);
    s.end(complete, (all, fresh) => {
      // end() adds the end-of-stream checks (and dedupes): print the ones not printed live.
      stage.live(ex, fresh);
      stage.addQuietly(ex, all);
      stage.finalize(ex, response, note);
    });
  };
  return {
    ...(decoder === null ? {} : { consume }),
    ...(decoder ? { decoder } : {}),
    busy: () => !!ex.sse?.busy(),
    done,
    bindWake: (f) => void (wake = f),
  };
}
