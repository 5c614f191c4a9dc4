import type { Reporter } from './types.js';

/** ESLint's JSON format: an array of results, each message with its rule id, severity and position. */
export const json: Reporter = (results) => `${JSON.stringify(results)}\n`;
