import { connectMongo } from '@ticketing/kit';
import { Redis } from 'ioredis';
import { AccountBans } from './AccountBans';
import { OPERATOR, registerModels } from './models';
import type { UsersSettings } from './settings';
import { normalizeEmail } from './validation';

export const ADMIN_USAGE = `usage: npm run admin -- <command> <email>
  ban <email>              ban the account: its sessions, API keys and WebSockets stop within seconds
  unban <email>            lift the ban (its API keys work again; old sessions stay ended)
  grant-operator <email>   let the account ban and unban others (banAccount, unbanAccount)
  revoke-operator <email>  take that back`;

export interface AdminCommandOptions {
  settings: Pick<UsersSettings, 'MONGO_URI' | 'REDIS_URL' | 'REDIS_PREFIX' | 'SESSION_MAX_AGE_SECONDS'>;
  /** users' database; default `users` (the service's). */
  dbName?: string;
}

/**
 * What an operator runs against the users database and Redis directly (`npm run admin`, or in a
 * cluster `kubectl exec deploy/users -- node dist/admin.js …`): bans exactly as banAccount does,
 * and the operator role, which nothing else grants. A ban's UserUpdated waits in the account's
 * outbox for a running users service's relay (its safety-net scan finds it within 30 s). Returns
 * what to print, or throws with the usage.
 */
export async function runAdminCommand(args: string[], options: AdminCommandOptions): Promise<string> {
  const [command, rawEmail] = args;
  const commands = ['ban', 'unban', 'grant-operator', 'revoke-operator'];
  if (!command || !commands.includes(command) || !rawEmail || args.length !== 2) throw new Error(ADMIN_USAGE);
  const email = normalizeEmail(rawEmail);
  const { settings } = options;
  const connection = await connectMongo({ uri: settings.MONGO_URI, dbName: options.dbName ?? 'users' });
  const redis = new Redis(settings.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
  try {
    await redis.connect();
    const models = registerModels(connection);
    if (command === 'ban' || command === 'unban') {
      const bans = new AccountBans({
        models,
        redis,
        redisPrefix: settings.REDIS_PREFIX,
        sessionMaxAgeSeconds: settings.SESSION_MAX_AGE_SECONDS,
      });
      const id = await bans.setBanned(email, command === 'ban');
      if (!id) throw new Error(`no account has the email ${email}`);
      return `${email} (${id.toHexString()}) is ${command === 'ban' ? 'banned' : 'no longer banned'}`;
    }
    const update =
      command === 'grant-operator' ? { $addToSet: { roles: OPERATOR } } : { $pull: { roles: OPERATOR } };
    // FerretDB's findAndModify takes no projection: an update, then a read.
    const written = await models.Users.updateOne({ email }, update);
    const found = written.matchedCount ? await models.Users.findOne({ email }, { roles: 1 }).lean() : null;
    if (!found) throw new Error(`no account has the email ${email}`);
    return `${email} is ${found.roles?.includes(OPERATOR) ? 'an operator' : 'not an operator'}`;
  } finally {
    redis.disconnect();
    await connection.close();
  }
}
