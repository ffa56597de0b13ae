import { addResolversToSchema, buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { guardEntityReferences } from './guardEntityReferences';

// A subgraph with an entity it resolves itself (Ticket) and a stub it only extends (User, whose
// `tickets` reads the representation's id as a database filter would).
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.10", import: ["@key"])
  type Ticket @key(fields: "id") { id: ID! title: String }
  type User @key(fields: "id") { id: ID! tickets: [String!]! }
  type Query { ok: Boolean }
`);
const filters: unknown[] = [];
const schema = buildSubgraphSchema([
  {
    typeDefs,
    resolvers: {
      User: {
        tickets: (user: { id: unknown }) => {
          filters.push({ sellerId: user.id });
          return [`of ${String(user.id)}`];
        },
      },
    } as never,
  },
]);
const loaded: unknown[] = [];
addResolversToSchema(
  schema,
  guardEntityReferences(schema, {
    Ticket: {
      __resolveReference: (ref: { id: unknown }) => {
        loaded.push(ref.id);
        return { id: ref.id, title: 'Gig' };
      },
    },
  }),
);

const entities = (representations: unknown[]) =>
  graphql({
    schema,
    source: `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Ticket { id title } ... on User { id tickets } } }`,
    variableValues: { r: representations },
  });

test('string keys resolve as before, through the entity resolver or as a stub', async () => {
  const result = await entities([
    { __typename: 'Ticket', id: 't1' },
    { __typename: 'User', id: 'u1' },
  ]);
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual([
    { id: 't1', title: 'Gig' },
    { id: 'u1', tickets: ['of u1'] },
  ]);
});

test('an operator object, a number, an array or no key is answered null and reaches no resolver', async () => {
  filters.length = 0;
  loaded.length = 0;
  const hostile = [{ $ne: null }, { $gt: '' }, 7, ['u1'], null, undefined];
  const result = await entities(
    hostile.flatMap((id) => [
      { __typename: 'User', id },
      { __typename: 'Ticket', id },
    ]),
  );
  expect(result.errors).toBeUndefined();
  expect(result.data?._entities).toEqual(hostile.flatMap(() => [null, null]));
  expect(filters).toEqual([]);
  expect(loaded).toEqual([]);
});
