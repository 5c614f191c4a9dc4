import { Lexer } from 'yaml';
import type { SourceFile } from './source.js';

/** A `# ...` comment of a YAML file: its text (with the `#`) and its offset in the file. */
export interface YamlComment {
  text: string;
  start: number;
}

/** The Lexer's control tokens, which stand for no text of the source (yaml src/parse/cst.ts). */
const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * The comments of a YAML file, found by the `yaml` package's lexer, so that a `#` inside a quoted value or a block
 * scalar is not taken for one. The one way kubewire reads comments: `# kubewire-disable` directives
 * (engine/directives.ts) and ESLint's `# eslint-disable` comments (the ESLint plugin's language).
 */
export function commentsOf(file: SourceFile): YamlComment[] {
  // go-yaml (and SourceFile) end a line at a lone CR too, the yaml Lexer does not: the same text with LF there
  // (same length, so offsets still point into the file).
  const text = file.text.includes('\r') ? file.text.replace(/\r(?!\n)/g, '\n') : file.text;
  const comments: YamlComment[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (!text.startsWith(token, offset)) {
      if (CONTROL_TOKENS.has(token)) continue;
      return []; // the tokens no longer line up with the text: better no comment than a misplaced one
    }
    if (token[0] === '#') comments.push({ text: token, start: offset });
    offset += token.length;
  }
  return comments;
}
