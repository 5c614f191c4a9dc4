// The floor kubewire is measured against: read every manifest below a directory and parse it, one thread, no
// model, no rules. `yaml`: yaml.parseAllDocuments with a LineCounter, then toJS (what any linter that reports
// positions must at least do); `js-yaml`: js-yaml's loadAll, a plain parse without positions.
// Usage: node floor.mjs yaml|js-yaml <dir>
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [mode, dir] = process.argv.slice(2);
const files = readdirSync(dir, { recursive: true })
  .filter((f) => /\.(ya?ml|json)$/i.test(f))
  .sort();
let documents = 0;
// Each floor loads only its own parser.
const { loadAll } = mode === 'js-yaml' ? await import('js-yaml') : {};
const { LineCounter, parseAllDocuments } = mode === 'js-yaml' ? {} : await import('yaml');
for (const file of files) {
  const text = readFileSync(path.join(dir, file), 'utf8');
  if (mode === 'js-yaml') {
    documents += loadAll(text).length;
    continue;
  }
  const lineCounter = new LineCounter();
  for (const document of parseAllDocuments(text, { lineCounter })) {
    document.toJS();
    documents++;
  }
}
process.stdout.write(`${documents}\n`);
