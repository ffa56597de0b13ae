// Prints an identity token as the gateway signs it, for calling a locally running subgraph directly
// (subgraphs refuse any request without one): `npm run identity-token`, e.g.
//
//   rover subgraph introspect http://127.0.0.1:4001/graphql --header "x-identity: $(npm run -s identity-token)"
//
// Anonymous by default; `--user <id>` acts as that user's session. Signed with INTERNAL_JWT_KEY
// (the development key when unset), valid for `--ttl <seconds>` (default 3600).
import { parseArgs } from 'node:util';
import { DEV_INTERNAL_JWT_KEY, signIdentity } from './identityToken';

const { values } = parseArgs({
  options: { user: { type: 'string' }, ttl: { type: 'string', default: '3600' } },
});
const ttl = Number(values.ttl);
if (!Number.isInteger(ttl) || ttl < 1) {
  process.stderr.write(`identity-token: --ttl must be a whole number of seconds, got "${values.ttl}"\n`);
  process.exit(1);
}
const key = process.env.INTERNAL_JWT_KEY || DEV_INTERNAL_JWT_KEY;
const identity = values.user ? { userId: values.user, via: 'session' as const } : null;
process.stdout.write(`${signIdentity({ identity }, key, ttl)}\n`);
