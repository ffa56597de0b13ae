import { runAdminCommand } from './adminCommand';
import { readUsersSettings } from './settings';

// `npm run admin -- ban someone@example.com` (see adminCommand.ts).
runAdminCommand(process.argv.slice(2), { settings: readUsersSettings(), dbName: process.env.USERS_DB })
  .then((done) => console.log(done))
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
