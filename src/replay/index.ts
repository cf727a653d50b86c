// `openrouter-contract/replay` (Node only): serve recorded exchanges as a deterministic, contract-checked mock.
export {
  createReplayServer,
  missEnvelope,
  type ReplayHandle,
  type ReplayOptions,
  type ReplayStats,
} from "./server";
export { loadRecordings, type Loaded } from "./load";
export {
  type IncomingRequest,
  Matcher,
  type MatchOption,
  type Miss,
  parseMatch,
  type Recording,
  routePath,
} from "./match";
export { canonical, type Difference, differences } from "./json";
