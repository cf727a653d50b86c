// `npm run build`: the tsup builds of tsup.config.ts, then the `./schema` export (the generated types, copied as they
// are for both module formats). The copy waits for every build: tsup's declaration build deletes dist/*.d.ts when it
// starts, which can be after a tsup `onSuccess` hook has run.
import { copyFileSync } from "node:fs";
import { build } from "tsup";
import { builds } from "../tsup.config";

await Promise.all(builds.map((c) => build({ ...c, config: false })));
for (const ext of ["d.ts", "d.cts"]) copyFileSync("generated/schema.d.ts", `dist/schema.${ext}`);
