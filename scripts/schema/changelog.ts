import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SchemaChange } from './diffSchemas';

export const CHANGELOG = path.join('docs', 'CHANGELOG.md');

/**
 * The text of the changelog's `## Unreleased` section (up to the next `## ` heading): where a
 * breaking change is declared before it reaches main. Empty when the file or section is missing.
 */
export function unreleasedSection(file: string): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => /^##\s+Unreleased\b/i.test(line));
  if (start === -1) return '';
  const end = lines.findIndex((line, i) => i > start && /^##\s/.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

/**
 * A breaking change is declared when the Unreleased section quotes its description word for word
 * (as the check prints it), so that a reviewer reads exactly what integrators will have to change.
 */
export function isDeclared(change: SchemaChange, unreleased: string): boolean {
  return unreleased.includes(change.description);
}
