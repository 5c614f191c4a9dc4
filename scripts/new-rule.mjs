#!/usr/bin/env node
// npm run new-rule <rule-id>: scaffolds src/rules/<id>.ts, rules-docs/<id>.md and the fixture folders,
// then regenerates the registry. The scaffold fails its own tests until it is filled in.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const id = process.argv[2];
if (!id || !/^[a-z][a-z0-9-]*$/.test(id)) {
  console.error('usage: npm run new-rule <rule-id>   (lower-case words joined by "-")');
  process.exit(2);
}
const camel = id.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const ruleFile = join(root, 'src', 'rules', `${id}.ts`);
if (existsSync(ruleFile)) {
  console.error(`${ruleFile} exists`);
  process.exit(2);
}
writeFileSync(
  ruleFile,
  `import { createRule } from '../api/authoring.js';

export const ${camel} = createRule({
  name: '${id}',
  meta: {
    type: 'problem',
    defaultSeverity: 'error',
    docs: { description: 'Require TODO' },
    messages: {
      todo: 'TODO: what is wrong, why it breaks traffic, and the likely fix.',
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { graph } = context;
    return {
      Service(resource) {
        void graph;
        void resource;
      },
    };
  },
});
`,
);
writeFileSync(
  join(root, 'rules-docs', `${id}.md`),
  `# ${id}

> Require TODO

Default severity: **error** · Type: problem · Messages: \`todo\`

## What it checks

## Why it matters

## Examples

### Incorrect

\`\`\`yaml incorrect messageId=todo line=1
\`\`\`

### Correct

\`\`\`yaml correct
\`\`\`

## Options

This rule has no options of its own (like every rule, it takes \`unsure\`: the severity of the findings it is unsure of, see "Configuring kubewire" in the README).

## How to suppress

\`kubewire.io/ignore: ${id}\` on the resource, or \`kubewire --rule ${id}=off\`.

## Upstream reference
`,
);
for (const kind of ['valid', 'invalid']) mkdirSync(join(root, 'test', 'fixtures', id, kind), { recursive: true });
execFileSync(process.execPath, [join(root, 'scripts', 'gen-rules-index.mjs')], { stdio: 'inherit' });
console.log(`created src/rules/${id}.ts, rules-docs/${id}.md, test/fixtures/${id}/{valid,invalid}/`);
