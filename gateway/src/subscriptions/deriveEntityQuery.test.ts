import { type FieldNode, getOperationAST, parse } from 'graphql';
import { deriveEntityQuery } from './deriveEntityQuery';

function derive(source: string, queryField = 'ticket') {
  const document = parse(source);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return deriveEntityQuery(
    document,
    operation,
    operation.selectionSet.selections[0] as FieldNode,
    queryField,
  );
}

test("a subscription's selection becomes a query on the entity the event names", () => {
  const derived = derive(`
    subscription Watch($id: ID!) { ticketChanged(id: $id) { status reservedUntil seller { id } } }`);
  expect(derived.responseKey).toBe('ticketChanged');
  expect(derived.query).toBe(
    'query Watch($__entityId: ID!) {\n  ticketChanged: ticket(id: $__entityId) {\n    status\n    reservedUntil\n    seller {\n      id\n    }\n  }\n}',
  );
});

test('aliases, fragments and the variables the selection still uses are kept', () => {
  const derived = derive(`
    subscription($withSeller: Boolean!) { live: ticketsChanged { ...Card seller @include(if: $withSeller) { id } } }
    fragment Card on Ticket { id title price }`);
  expect(derived.responseKey).toBe('live');
  expect(derived.query).toContain('query ($withSeller: Boolean!, $__entityId: ID!)');
  expect(derived.query).toContain('live: ticket(id: $__entityId)');
  expect(derived.query).toContain('fragment Card on Ticket');
});
