import { negotiateMediaType } from './mediaType';

// The type Apollo Server answers in, for the Accept headers clients send.
test.each([
  [undefined, 'application/json'],
  ['*/*', 'application/json'],
  ['application/json', 'application/json'],
  ['application/graphql-response+json', 'application/graphql-response+json'],
  // Apollo Client 4, GraphiQL: the spec's type first.
  ['application/graphql-response+json,application/json;q=0.9', 'application/graphql-response+json'],
  ['application/json, application/graphql-response+json', 'application/json'],
  ['application/graphql-response+json, application/json', 'application/graphql-response+json'],
  ['application/json;q=0.5, application/*', 'application/graphql-response+json'],
  ['text/html,application/xhtml+xml,*/*;q=0.8', 'application/json'],
  ['text/html', null],
  ['application/json;q=0', null],
])('Accept: %s → %s', (accept, type) => {
  expect(negotiateMediaType(accept)).toBe(type);
});
