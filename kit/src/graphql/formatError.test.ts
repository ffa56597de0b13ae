import { GraphQLError } from 'graphql';
import mongoose from 'mongoose';
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

test('a database that cannot be reached is SERVICE_UNAVAILABLE, naming no address', async () => {
  // A real driver error: nothing listens on port 9 of loopback.
  const client = new mongoose.mongo.MongoClient('mongodb://127.0.0.1:9', { serverSelectionTimeoutMS: 200 });
  const cause = await client
    .db('x')
    .command({ ping: 1 })
    .catch((err: unknown) => err);
  await client.close();
  const error = new GraphQLError((cause as Error).message, {
    path: ['tickets'],
    originalError: cause as Error,
  });
  for (const production of [true, false]) {
    const formatted = format(error, production);
    expect(formatted).toEqual({
      message: 'A service this needs is temporarily unavailable; try again shortly',
      path: ['tickets'],
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
    });
  }
});
