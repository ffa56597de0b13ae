import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { SUPERGRAPH_FILE } from '../composeSupergraph';
import { CostModel } from './CostModel';
import { MAX_SELECTIONS, MUTATION_COST, measureOperation } from './measureOperation';
import { refusalOf } from './operationLimits';

// The static cost of operations on the committed supergraph, as a client is charged for them.

const model = CostModel.fromSupergraph(readFileSync(SUPERGRAPH_FILE, 'utf8'));
const measure = (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
  const m = measureOperation(model, parse(query), operationName, variables);
  if (!m) throw new Error('no such operation');
  return m;
};
const limits = { cost: 1000, height: 15, aliases: 30, rootFields: 10 };

describe('measureOperation', () => {
  it('charges nothing for scalars and one point per object', () => {
    expect(measure('{ ticket(id: "1") { id title price } }').cost).toBe(1);
    expect(measure('{ __typename }').cost).toBe(0);
  });

  it("sizes a connection's lists by its first, or by the page default when absent", () => {
    // tickets 1, 20 edges, 20 nodes, 20 sellers (seller { id } needs no hop: tickets knows the id).
    const page = '{ tickets { edges { node { id seller { id } } } } }';
    expect(measure(page).cost).toBe(61);
    expect(measure('{ tickets(first: 5) { edges { node { id } } } }').cost).toBe(11);
    expect(measure('query ($n: Int) { tickets(first: $n) { edges { node { id } } } }', { n: 100 }).cost).toBe(
      201,
    );
    expect(measure('query ($n: Int = 2) { tickets(first: $n) { edges { node { id } } } }').cost).toBe(5);
  });

  it('counts a hop to another subgraph once per parent object, and a list by its declared default', () => {
    // me 1; orders: a hop to orders (1) and 20 orders (first = 20 declared); their payments: a hop
    // to payments per order (20) and 20 payments.
    expect(measure('{ me { orders { id payment { id status } } } }').cost).toBe(1 + 1 + 20 + 20 + 20);
    expect(measure('{ me { orders(first: 2) { id } } }').cost).toBe(1 + 1 + 2);
  });

  it('makes a nested list attack astronomically expensive, so it is refused unrun', () => {
    const attack =
      '{ tickets(first: 100) { edges { node { seller { tickets { seller { tickets { seller { tickets { seller { tickets { id } } } } } } } } } } } }';
    const m = measure(attack);
    expect(m.cost).toBeGreaterThan(1e7); // 100 × 20⁴ sellers' tickets and more
    expect(refusalOf(m, limits)?.extensions).toEqual({
      code: 'COST_LIMIT_EXCEEDED',
      cost: m.cost,
      limit: 1000,
    });
  });

  it('refuses 400 aliases of a list before the cost, naming the measure', () => {
    const aliases = Array.from(
      { length: 400 },
      (_, i) => `a${i}: tickets(first: 100) { edges { node { id } } }`,
    );
    const m = measure(`{ ${aliases.join(' ')} }`);
    expect(m.aliases).toBe(400);
    expect(m.rootFields).toBe(400);
    expect(refusalOf(m, limits)?.extensions).toEqual({
      code: 'OPERATION_TOO_COMPLEX',
      measure: 'aliases',
      value: 400,
      limit: 30,
    });
  });

  it('adds the cost of a write to each mutation root field', () => {
    expect(measure('mutation { signOut }').cost).toBe(MUTATION_COST);
    expect(measure('mutation { createOrder(ticketId: "1") { id } }').cost).toBe(MUTATION_COST + 1);
  });

  it('follows fragments, and stops a fragment bomb at a bounded number of selections', () => {
    expect(measure('{ me { ...M } } fragment M on User { tickets(first: 3) { id } }').cost).toBe(1 + 1 + 3);
    const bomb = [
      '{ me { ...F0 } }',
      ...Array.from({ length: 30 }, (_, i) => `fragment F${i} on User { id ...F${i + 1} ...F${i + 1} }`),
      'fragment F30 on User { id }',
    ].join('\n');
    const m = measure(bomb);
    // 2³⁰ selections expanded, had the walk not stopped just past the bound.
    expect(m.selections).toBeGreaterThan(MAX_SELECTIONS);
    expect(m.selections).toBeLessThan(MAX_SELECTIONS + 100);
    expect(refusalOf(m, limits)?.extensions?.code).toBe('OPERATION_TOO_COMPLEX');
  });

  it('measures height, and picks the named operation', () => {
    const doc = 'query A { me { id } } query B { me { tickets { seller { id } } } }';
    expect(measure(doc, {}, 'A').height).toBe(2);
    expect(measure(doc, {}, 'B').height).toBe(4);
    expect(measureOperation(model, parse(doc), undefined, {})).toBeUndefined();
  });

  it('lets the pages of the web app through', () => {
    const myOrders =
      '{ me { id orders { id status price ticket { id title price seller { id } } payment { id status amount } } } }';
    expect(refusalOf(measure(myOrders), limits)).toBeUndefined();
  });
});
