// The users service in-process for this package's tests, on its own database, stream and Redis
// prefix (all named after the test's label), so that test files run side by side.
import { dropTestStreams, testStream } from '@ticketing/events/testing';
import { testDatabaseName } from '@ticketing/kit/testing';
import { createUsersService, type UsersService } from '../createUsersService';
import { readUsersSettings } from '../settings';

export async function startTestUsers(label: string, env: NodeJS.ProcessEnv = {}): Promise<UsersService> {
  return createUsersService({
    settings: readUsersSettings({
      ...process.env,
      PORT: '0',
      REDIS_PREFIX: `${testDatabaseName(label)}:`,
      ...env,
    }),
    dbName: testDatabaseName(label),
    events: { stream: testStream(label) },
  });
}

/** Stops the service and drops what it wrote (its database and its stream). */
export async function stopTestUsers(users: UsersService): Promise<void> {
  await users.models.Users.db.dropDatabase();
  await dropTestStreams(users.events);
  await users.stop();
}
