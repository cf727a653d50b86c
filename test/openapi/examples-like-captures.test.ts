// The mock's examples of POST /chat/completions responses are shaped like real traffic: each one is compared with the
// 357 real exchanges of ../shared/captures (values are our own; only shapes are compared).
//
// Shape = the set of typed JSON pointers of the body (array indices as `*`, leaf types incl. null; for a stream, the
// union over its data events). The RULE: some real capture of the same class (a JSON 2xx body with `choices`, a
// stream, or an error body of any status) has every pointer of the example, and the example lacks at most
// MAX_ABSENT of that capture's pointers (so an example can neither invent a field nor be a thin sketch of a real
// body). A stream must also have the same event order as that capture: its events named comment, delta, finish,
// usage, error, DONE, consecutive repeats merged.
//
// EXEMPT lists the examples that show documented fields no recording holds (e.g. availability errors, documented
// since 2026-08, after the recordings): their pointers under the listed prefixes are left out, everything else must
// pass the rule, and the test checks that each exemption is still needed.
import { describe, expect, it } from "vitest";
import { deref, doc } from "../support/spec";
import { missingFrom, shapeOf, streamShape } from "../support/shapes";
import { loadSharedCaptures, sseDataEvents } from "../support/shared-captures";

const MAX_ABSENT = 3;

type Kind = "json" | "stream" | "error";
interface Example {
  key: string;
  kind: Kind;
  value: unknown;
}

/** Why an example may show fields no recording has, and the pointer prefixes that are left out of its shape. */
const EXEMPT: Record<string, { why: string; documentedOnly: string[] }> = {
  "200 application/json in_band_error": {
    why: "a generation that fails after the 200 (choices[].error), documented in errors-and-debugging; not recorded",
    documentedOnly: ["/choices/*/error/", "/choices/*/finish_reason:"],
  },
  "200 text/event-stream stream_error": {
    why: "the documented mid-stream error (finish_reason error, no [DONE]); the one recording sends [DONE] after it",
    documentedOnly: ["/choices/*/finish_reason:", "/choices/*/native_finish_reason:"],
  },
  "403 application/json error": {
    why: "the documented moderation error (metadata reasons, flagged_input, model_slug); no recording has a 403",
    documentedOnly: ["/error/metadata/"],
  },
  "404 application/json error": {
    why: "the documented availability error (no code; error_type, http_status, availability); not recorded",
    documentedOnly: ["/error/error_type:", "/error/http_status:", "/error/availability/"],
  },
  "503 application/json error": {
    why: "the documented availability error with metadata.previous_errors; not recorded",
    documentedOnly: ["/error/error_type:", "/error/http_status:", "/error/availability/", "/error/metadata/"],
  },
};

function examples(): Example[] {
  const op = doc.paths["/chat/completions"].post;
  return Object.entries<any>(op.responses).flatMap(([status, r]) =>
    Object.entries<any>(deref(r).content ?? {}).flatMap(([media, m]) =>
      Object.entries<any>(m.examples ?? {}).map(([name, ex]) => {
        const value = deref(ex).value;
        const stream = media === "text/event-stream";
        const kind: Kind = stream ? "stream" : Number(status) >= 400 || !("choices" in value) ? "error" : "json";
        return { key: `${status} ${media} ${name}`, kind, value };
      }),
    ),
  );
}

/** A stream's event order: comment, delta, finish, usage, error, DONE; runs merged. */
function eventOrder(sse: string): string {
  const out: string[] = [];
  for (const block of sse.replace(/\r\n?/g, "\n").split("\n\n")) {
    if (!block.trim()) continue;
    let k = "comment";
    if (/^data: ?\[DONE\]/m.test(block)) k = "DONE";
    else if (/^data:/m.test(block)) {
      const e = sseDataEvents(block)[0] as {
        error?: unknown;
        usage?: unknown;
        choices?: { finish_reason?: unknown }[];
      };
      k = e.error ? "error" : e.usage ? "usage" : e.choices?.some((c) => c.finish_reason) ? "finish" : "delta";
    }
    if (out[out.length - 1] !== k) out.push(k);
  }
  return out.join(" ");
}

const real = loadSharedCaptures().map(({ name, capture: { response: r } }) => ({
  name,
  kind: (r.sse !== undefined ? "stream" : r.status >= 400 ? "error" : "json") as Kind,
  shape: r.sse !== undefined ? streamShape(r.sse) : shapeOf(r.body),
  order: r.sse !== undefined ? eventOrder(r.sse) : "",
}));

/** The closest real capture and how the example differs from it, or undefined when one satisfies the rule. */
function judge(ex: Example, leaveOut: string[] = []) {
  const raw = ex.kind === "stream" ? streamShape(ex.value as string) : shapeOf(ex.value);
  const mine = new Set([...raw].filter((p) => !leaveOut.some((pre) => p.startsWith(pre))));
  const order = ex.kind === "stream" && leaveOut.length === 0 ? eventOrder(ex.value as string) : undefined;
  let closest: { name: string; invented: string[]; absent: string[]; order: string } | undefined;
  for (const c of real.filter((c) => c.kind === ex.kind)) {
    const invented = missingFrom(mine, c.shape);
    const absent = missingFrom(c.shape, mine).filter((p) => !leaveOut.some((pre) => p.startsWith(pre)));
    const sameOrder = order === undefined || order === c.order;
    if (!invented.length && absent.length <= MAX_ABSENT && sameOrder) return undefined;
    const score = invented.length * 1000 + absent.length + (sameOrder ? 0 : 100);
    const best = closest ? closest.invented.length * 1000 + closest.absent.length : Number.POSITIVE_INFINITY;
    if (score < best) closest = { name: c.name, invented, absent, order: `${order ?? ""} vs ${c.order}` };
  }
  return closest ?? { name: "(no capture of this kind)", invented: [...mine], absent: [], order: "" };
}

const all = examples();

describe("mock examples are shaped like real captures", () => {
  it("covers the chat examples, a stream with tool calls among them, and exempts only existing examples", () => {
    expect(all.length).toBeGreaterThan(15);
    expect(all.map((e) => e.key)).toContain("200 text/event-stream stream_tool_calls");
    expect(Object.keys(EXEMPT).filter((k) => !all.some((e) => e.key === k))).toEqual([]);
  });

  it.each(all.map((e) => [e.key, e] as const))("%s", (key, ex) => {
    const exempt = EXEMPT[key];
    if (!exempt) {
      expect(judge(ex), "closest real capture and the differences").toBeUndefined();
      return;
    }
    expect(judge(ex), `${key}: exempt (${exempt.why}), but it matches a capture: drop the exemption`).toBeDefined();
    expect(judge(ex, exempt.documentedOnly), `${key} without ${exempt.documentedOnly.join(", ")}`).toBeUndefined();
  });
});
