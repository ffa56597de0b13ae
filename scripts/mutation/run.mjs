#!/usr/bin/env node
// @ts-check
// `npm run mutation [--concurrency=N] [group…]`: StrykerJS on the critical modules, one run per group
// (groups.mjs), then the mutation score of every module. Fails when a module scores under THRESHOLD.
// --concurrency: jest processes Stryker runs at once (default 2); 1 on a machine shared with others.
// Not part of `npm test`: it needs the infrastructure (jest's global setup, run once here, finds or
// starts it) and takes minutes per group. Reports land in .cache/mutation/<group>.html (and .json). Not incremental:
// Stryker's incremental mode kept survivors that newly added tests kill.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stryker } from '@stryker-mutator/core';
import globalSetup from '../stack/jest-global-setup.mjs';
import globalTeardown from '../stack/jest-global-teardown.mjs';
import { GROUPS } from './groups.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REPORTS = path.join(ROOT, '.cache', 'mutation');
const THRESHOLD = 85;

/**
 * @param {import('./groups.mjs').Group} group
 * @param {number} concurrency
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
function optionsFor(group, concurrency) {
  return {
    testRunner: 'jest',
    plugins: ['@stryker-mutator/jest-runner'],
    coverageAnalysis: 'perTest',
    concurrency,
    mutate: group.mutate,
    jest: {
      projectType: 'custom',
      configFile: 'jest.config.js',
      // The infrastructure is found (or started) once below, not before every mutant's jest run: its
      // settings reach Stryker's jest processes through the environment they inherit.
      config: {
        testMatch: group.tests.map((t) => `<rootDir>/${t}`),
        globalSetup: null,
        globalTeardown: null,
      },
      enableFindRelatedTests: false,
    },
    // The sandbox is a copy of the repository: only what the tests load.
    ignorePatterns: ['/web', '/bench', '/k8s', '/tools', '/.data', '/.cache', 'dist', '*.tsbuildinfo'],
    tempDirName: '.cache/stryker-tmp',
    reporters: ['html', 'json', 'progress'],
    htmlReporter: { fileName: path.join(REPORTS, `${group.name}.html`) },
    jsonReporter: { fileName: path.join(REPORTS, `${group.name}.json`) },
    timeoutMS: 5_000,
    thresholds: { high: 90, low: THRESHOLD, break: null },
    logLevel: /** @type {import('@stryker-mutator/api/core').LogLevel} */ ('warn'),
  };
}

/** @param {import('@stryker-mutator/api/core').MutantResult[]} results */
function scoresByFile(results) {
  /** @type {Map<string, { detected: number, undetected: number, survivors: string[] }>} */
  const files = new Map();
  for (const m of results) {
    const file = path.relative(ROOT, path.resolve(ROOT, m.fileName));
    const score = files.get(file) ?? { detected: 0, undetected: 0, survivors: [] };
    if (m.status === 'Killed' || m.status === 'Timeout') score.detected++;
    if (m.status === 'Survived' || m.status === 'NoCoverage') {
      score.undetected++;
      score.survivors.push(
        `${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.status}${m.replacement ? ` → ${m.replacement.replace(/\s+/g, ' ').slice(0, 60)}` : ''}`,
      );
    }
    files.set(file, score);
  }
  return files;
}

const args = process.argv.slice(2);
const concurrencyArg = args.find((a) => a.startsWith('--concurrency='));
const concurrency = concurrencyArg ? Number(concurrencyArg.slice('--concurrency='.length)) : 2;
if (!Number.isInteger(concurrency) || concurrency < 1) {
  process.stderr.write(`--concurrency takes a whole number of processes, at least 1: ${concurrencyArg}\n`);
  process.exit(2);
}
const wanted = args.filter((a) => a !== concurrencyArg);
const unknown = wanted.filter((n) => !GROUPS.some((g) => g.name === n));
if (unknown.length) {
  process.stderr.write(
    `unknown group(s) ${unknown.join(', ')}; groups: ${GROUPS.map((g) => g.name).join(', ')}\n`,
  );
  process.exit(2);
}
fs.mkdirSync(REPORTS, { recursive: true });
await globalSetup();
const lines = [];
let failing = 0;
for (const group of GROUPS.filter((g) => !wanted.length || wanted.includes(g.name))) {
  const started = Date.now();
  process.stdout.write(`\n== ${group.name}: ${group.mutate.join(' ')}\n`);
  const results = await new Stryker(optionsFor(group, concurrency)).runMutationTest();
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const scores = scoresByFile(results);
  // A file Stryker finds nothing to mutate in (e.g. code inside an `as const` literal) is named, not skipped.
  for (const file of group.mutate.filter((f) => !f.includes('*') && !scores.has(f))) {
    lines.push(`?   no mutants   ${file}  (${group.name}: see scripts/mutation/SURVIVORS.md)`);
  }
  for (const [file, s] of scores) {
    const total = s.detected + s.undetected;
    const score = total ? (100 * s.detected) / total : 100;
    if (score < THRESHOLD) failing++;
    lines.push(
      `${score < THRESHOLD ? '✗' : '✓'} ${score.toFixed(1).padStart(5)}%  ${String(s.detected).padStart(3)}/${String(total).padEnd(3)} ${file}  (${group.name}, ${minutes} min)`,
    );
    for (const survivor of s.survivors) lines.push(`      survived ${survivor}`);
  }
}
await globalTeardown();
process.stdout.write(
  `\nMutation score per module (killed or timed out / all; at least ${THRESHOLD}%):\n${lines.join('\n')}\n`,
);
process.exitCode = failing ? 1 : 0;
