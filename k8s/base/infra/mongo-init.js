// Initiates one MongoDB replica set once all its members answer. Run by the Jobs <service>-mongo-init
// (k8s/base/infra/*-mongo.yaml) as `mongosh --nodb --file`, with REPLICA_SET (the set's name, as in
// mongod's --replSet), SERVICE (the StatefulSet's headless Service) and MEMBERS (its replicas).
// Safe to run again: a set that already exists is left as it is.
const set = process.env.REPLICA_SET;
const service = process.env.SERVICE;
const members = Number(process.env.MEMBERS);
if (!set || !service || !(members >= 1))
  throw new Error('REPLICA_SET, SERVICE and MEMBERS (>= 1) are required');
const hosts = Array.from({ length: members }, (_, i) => `${service}-${i}.${service}:27017`);

/** Calls fn until it returns without throwing, every 5 s for up to 10 minutes. */
function retry(what, fn) {
  for (let attempt = 1; ; attempt++) {
    try {
      return fn();
    } catch (err) {
      if (attempt >= 120) throw err;
      print(`waiting for ${what}: ${err.message}`);
      sleep(5000);
    }
  }
}

/** The admin database of one member, once it answers. */
const adminOf = (host) =>
  retry(host, () => {
    const db = connect(`mongodb://${host}/admin?directConnection=true&serverSelectionTimeoutMS=5000`);
    db.adminCommand({ ping: 1 });
    return db;
  });

const admins = hosts.map(adminOf);
const NOT_YET_INITIALIZED = 94;
const initiated = admins.some((db) => {
  try {
    db.adminCommand({ replSetGetStatus: 1 });
    return true;
  } catch (err) {
    if (err.code === NOT_YET_INITIALIZED) return false;
    throw err;
  }
});

if (initiated) {
  print(`replica set ${set} already initiated`);
} else {
  admins[0].adminCommand({
    replSetInitiate: { _id: set, members: hosts.map((host, i) => ({ _id: i, host })) },
  });
  print(`replica set ${set} initiated with ${hosts.join(', ')}`);
}

retry(`a primary of ${set}`, () => {
  const { primary } = admins[0].adminCommand({ hello: 1 });
  if (!primary) throw new Error('no primary elected yet');
  print(`replica set ${set}: primary ${primary}`);
});
