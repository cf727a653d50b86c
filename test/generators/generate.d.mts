// Types for generate.mjs (used by generators.test.ts).
export function readmeCommands(text: string): string[];
export function outputOf(command: string): string | undefined;
export function streamTwin(command: string): string;
