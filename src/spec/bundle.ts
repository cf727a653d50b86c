/**
 * The bundled contract (`generated/openapi.json`, written by `npm run generate`), loaded one way: as the JSON module.
 * Importing this pulls the whole spec into a bundle, so only the conformance library and dev tools import it.
 */
import bundled from "../../generated/openapi.json" with { type: "json" };

/** The bundled OpenAPI document (refs to `#/components/...` kept). Treat as read-only: it is shared. */
export const bundledSpec: Record<string, unknown> = bundled as Record<string, unknown>;
