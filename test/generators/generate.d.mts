// Types for generate.mjs (used by generators.test.ts).
export function readmeCommands(text: string): string[];
