import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { checkSchema, formatCheck } from './checkSchema';
import { composeRover } from './composeRover';
import { diffSchemas } from './diffSchemas';

// `npm run schema:check` as part of npm test: this repository's rover.yaml against main, then the
// check's verdicts on a small repository of its own.

test('this repository: no breaking change of the API that docs/CHANGELOG.md does not declare', () => {
  const check = checkSchema();
  // The report names each one and what to do, as `npm run schema:check` prints it.
  expect(check.undeclared.length ? formatCheck(check) : '').toBe('');
});

describe('on a repository of its own', () => {
  const version = (require('@apollo/composition/package.json') as { version: string }).version;
  let root: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  const subgraph = (fields: string) =>
    writeFileSync(
      path.join(root, 'shop.graphql'),
      `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n` +
        `type Query {\n${fields}\n}\n`,
    );
  const changelog = (unreleased: string) =>
    writeFileSync(
      path.join(root, 'docs', 'CHANGELOG.md'),
      `# Changelog\n\n## Unreleased\n\n${unreleased}\n\n## 1.0.0\n\n- Query.price was removed.\n`,
    );

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'schema-check-'));
    execFileSync('mkdir', ['-p', path.join(root, 'docs')]);
    writeFileSync(
      path.join(root, 'rover.yaml'),
      `federation_version: =${version}\nsubgraphs:\n  shop:\n    routing_url: http://localhost:4009/graphql\n    schema:\n      file: ./shop.graphql\n`,
    );
    subgraph('  title: String\n  price: Float\n  rating: Float\n  status: String');
    writeFileSync(
      path.join(root, 'supergraph.graphql'),
      composeRover(path.join(root, 'rover.yaml')).supergraphSdl,
    );
    changelog('');
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('-c', 'user.name=check', '-c', 'user.email=check@example.com', 'commit', '-q', '-m', 'base');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('unchanged: nothing listed, passes', () => {
    const check = checkSchema({ root });
    expect([check.base, check.diff, check.undeclared]).toEqual([
      'main',
      { breaking: [], dangerous: [], safe: [] },
      [],
    ]);
  });

  test('a removed field and a changed type fail until the Unreleased section quotes them', () => {
    subgraph(
      '  title: String\n  rating: Float\n  status: Int\n  currency: String @deprecated(reason: "use title")',
    );
    const check = checkSchema({ root });
    expect(check.diff.breaking).toEqual([
      { type: 'FIELD_REMOVED', description: 'Query.price was removed.' },
      { type: 'FIELD_CHANGED_KIND', description: 'Query.status changed type from String to Int.' },
    ]);
    expect(check.diff.safe).toEqual([{ type: 'FIELD_ADDED', description: 'Query.currency was added.' }]);
    // An older release's entry with the same words does not declare it again.
    expect(check.undeclared.map((c) => c.description)).toEqual([
      'Query.price was removed.',
      'Query.status changed type from String to Int.',
    ]);
    expect(formatCheck(check)).toContain('FAILED: 2 breaking change(s) not declared');
    expect(check.stale).toBe(true);

    changelog('- Query.price was removed. Read `title`.\n- Query.status changed type from String to Int.');
    const declared = checkSchema({ root });
    expect(declared.undeclared).toEqual([]);
    expect(formatCheck(declared)).toContain('OK: no undeclared breaking change');
  });

  test('a base that does not exist is an error naming it', () => {
    expect(() => checkSchema({ root, base: 'release-9' })).toThrow(/release-9 is not a git ref/);
  });
});

test('safe and dangerous changes as listed', () => {
  const before = buildSchema(`
    type Query { ticket: Ticket, tickets(first: Int): [Ticket] }
    type Ticket { id: ID!, price: Float, status: Status }
    enum Status { OPEN SOLD }`);
  const after = buildSchema(`
    type Query { ticket: Ticket, tickets(first: Int, after: String): [Ticket] }
    """A ticket for sale"""
    type Ticket { id: ID!, price: Float @deprecated(reason: "Use amount."), amount: Money, status: Status }
    type Money { amount: String!, currencyCode: String! }
    enum Status { OPEN SOLD WITHDRAWN }`);
  const diff = diffSchemas(before, after);
  expect(diff.breaking).toEqual([]);
  expect(diff.dangerous.map((c) => c.type).sort()).toEqual(['OPTIONAL_ARG_ADDED', 'VALUE_ADDED_TO_ENUM']);
  expect(diff.safe.map((c) => c.description)).toEqual([
    "Ticket's description changed.",
    'Ticket.price was deprecated: Use amount.',
    'Ticket.amount was added.',
    'Money was added.',
  ]);
});
