import { randomBytes } from 'node:crypto';

/** A database name of its own for one test file, so files never see each other's data. */
export function testDatabaseName(label: string): string {
  const safe = label.replace(/[^a-z0-9]+/gi, '_').slice(0, 30);
  return `test_${safe}_${randomBytes(4).toString('hex')}`;
}
