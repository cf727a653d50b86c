// `npm start -- --replay <path>` / MOCK_REPLAY: answer requests that match a recording from the recording (the
// replay server's matcher and writer, src/replay), and leave every other request to Prism and the spec's examples.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { loadRecordings } from "../src/replay/load";
import { Matcher, type MatchOption } from "../src/replay/match";
import { type Playback, play } from "../src/replay/respond";

export interface ReplayLayer {
  /** Recordings loaded. */
  recordings: number;
  /** True when a recording answered (the response is being written); false: the mock answers as usual. */
  answer(req: IncomingMessage, res: ServerResponse, path: string, body: unknown): boolean;
  /** Requests answered from recordings so far. */
  replayed(): number;
  cancel(): void;
}

/** Paths from `--replay a,b` or MOCK_REPLAY (comma-separated). */
export function replayPaths(arg: string | undefined): string[] {
  return (arg ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `headers` go on every recorded answer (the mock's CORS policy: a browser page may call the mock). */
export function createReplayLayer(
  paths: string[],
  headers: OutgoingHttpHeaders = {},
  match: MatchOption = "body",
): ReplayLayer {
  const { recordings } = loadRecordings(paths);
  if (!recordings.length) throw new Error(`--replay: no recordings found in ${paths.join(", ")}`);
  const matcher = new Matcher(recordings, match);
  const playing = new Set<Playback>();
  let replayed = 0;
  return {
    recordings: recordings.length,
    answer(req, res, path, body) {
      const taken = matcher.take({ method: req.method ?? "POST", path, body });
      if (!("recording" in taken)) return false;
      replayed++;
      const p = play(res, taken.recording.record.response!, 0, headers);
      playing.add(p);
      void p.done.then(() => playing.delete(p));
      return true;
    },
    replayed: () => replayed,
    cancel: () => {
      for (const p of playing) p.cancel();
      playing.clear();
    },
  };
}
