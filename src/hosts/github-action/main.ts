import { runAction } from './action.js';

/** The Action's entry point (action.yml `runs.main`, bundled into action/dist/index.js by `npm run build:action`). */
await runAction();
