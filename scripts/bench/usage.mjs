// Preloaded into each measured child (`node --import`): on exit, writes the process's own CPU time and peak
// RSS (all its threads) to BENCH_USAGE_FILE, so the bench needs no platform tool such as /usr/bin/time.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(
    process.env.BENCH_USAGE_FILE,
    JSON.stringify({ cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS }),
  );
});
