// Kubb reads its plugins from a config file (there is no plugin flag), so the README's kubb line names this one:
// types (plugin-ts) and a fetch client (plugin-client). The input comes from the command line
// (`kubb generate <input>`); the stream bundle goes to out/kubb-stream, the contract to out/kubb.
import { defineConfig } from "@kubb/core";
import { pluginClient } from "@kubb/plugin-client";
import { pluginOas } from "@kubb/plugin-oas";
import { pluginTs } from "@kubb/plugin-ts";

export default defineConfig(({ input }) => {
  const path = typeof input === "string" ? input : "./generated/openapi.json";
  return {
    root: ".",
    input: { path },
    output: {
      path: path.includes("stream") ? "./out/kubb-stream" : "./out/kubb",
      clean: true,
      format: false,
      lint: false,
    },
    plugins: [pluginOas(), pluginTs(), pluginClient({ client: "fetch" })],
  };
});
