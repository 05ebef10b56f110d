#!/usr/bin/env node
// Runs the TypeScript sources through tsx in a development checkout, and the compiled
// JavaScript in an installed package or the container image (where only dist/ exists).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}controller/main.ts`;
const compiled = `${root}dist/controller/main.js`;

if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(compiled).href);
}
