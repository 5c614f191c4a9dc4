#!/usr/bin/env node
// Writes schema/kubewire.config.schema.json, the JSON schema of kubewire's config file that ships in the package
// (editors complete rule ids and options from it), from the built rules (run `npm run build` first; the npm
// script does). test/config.test.ts fails when the file is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { configSchema, CONFIG_SCHEMA_PATH } = await import(join(root, 'dist', 'config', 'schema.js'));
const { allRules } = await import(join(root, 'dist', 'rules', 'index.js'));
const target = join(root, CONFIG_SCHEMA_PATH);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(configSchema(allRules), null, 2)}\n`);
console.log(`wrote ${CONFIG_SCHEMA_PATH}`);
