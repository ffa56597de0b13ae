import { GraphQLError } from 'graphql';
import { badUserInput, conflict } from './errors';
import { createFormatError } from './formatError';

const format = (error: GraphQLError, production: boolean) =>
  createFormatError({ production })(error.toJSON(), error);

test('in production an unknown error is masked as INTERNAL_SERVER_ERROR, without stack', () => {
  const error = new GraphQLError('db password is hunter2', {
    path: ['me'],
    originalError: new Error('db password is hunter2'),
    extensions: { stacktrace: ['at secret.ts:1'] },
  });
  expect(format(error, true)).toEqual({
    message: 'Internal server error',
    path: ['me'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
});

test('in production a known code keeps its message and fields, and loses its stack', () => {
  const error = badUserInput([{ field: 'email', message: 'already in use' }]);
  error.extensions.stacktrace = ['at users.ts:1'];
  expect(format(error, true)).toEqual({
    message: 'Invalid input',
    extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'email', message: 'already in use' }] },
  });
  expect(format(conflict('Ticket is locked'), true).extensions?.code).toBe('CONFLICT');
});
