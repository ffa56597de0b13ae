import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { sampleVariables } from './sampleVariables';

// Variables that let an operation be planned before a client sends it.

const schema = buildSchema(`
  scalar DateTime
  enum Status { AVAILABLE SOLD }
  input Range { from: DateTime!, to: DateTime, statuses: [Status!]! }
  input Filter { range: Range!, title: String, size: Int! = 5 }
  type Query { find(id: ID!, first: Int, filter: Filter, status: Status!, flag: Boolean!, price: Float!): String }
`);

test('given required variables of every kind, when sampled, then the operation passes variable validation', () => {
  const document = parse(`
    query Find($id: ID!, $first: Int, $filter: Filter!, $status: Status!, $flag: Boolean!, $price: Float!) {
      find(id: $id, first: $first, filter: $filter, status: $status, flag: $flag, price: $price)
    }`);
  expect(validate(schema, document)).toEqual([]);
  const variables = sampleVariables(schema, document, 'Find');
  expect(variables).toEqual({
    id: '0',
    filter: { range: { from: '1970-01-01T00:00:00.000Z', statuses: [] } },
    status: 'AVAILABLE',
    flag: false,
    price: 0,
  });
  const definitions = getOperationAST(document, 'Find')?.variableDefinitions ?? [];
  expect(getVariableValues(schema, definitions, variables).errors).toBeUndefined();
});

test('given optional variables or defaults, when sampled, then none is invented', () => {
  const document = parse(
    'query ($first: Int, $status: Status! = SOLD) { find(id: "1", first: $first, status: $status, flag: true, price: 1) }',
  );
  expect(sampleVariables(schema, document)).toEqual({});
});
