#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a development checkout, and the compiled
// JavaScript in an installed package or the container image (where only dist/ exists).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The SDK warns on every start that its 2027 releases will need Node 22; our lockfile pins the SDK
// and Node 20 is supported, so the notice is only noise in every command's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}controller/main.ts`;
const compiled = `${root}dist/controller/main.js`;

// tsx is a development dependency: a production install (the container image) runs dist/ only.
const tsx = existsSync(source) ? await import('tsx/esm/api').catch(() => undefined) : undefined;
if (tsx) {
  tsx.register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(compiled).href);
}
