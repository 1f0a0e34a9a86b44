// Test reporter for scripts/run-tests.mjs: one JSON line with the run's counts (node's summary
// figures: tests, suites, pass, fail, cancelled, skipped, todo), so that two runs can print one
// summary.
export default async function* testCounts(source) {
  const c = { tests: 0, suites: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  for await (const ev of source) {
    if (ev.type !== 'test:diagnostic') continue;
    const m = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(ev.data.message);
    if (m) c[m[1]] = Number(m[2]);
  }
  yield `${JSON.stringify(c)}\n`;
}
