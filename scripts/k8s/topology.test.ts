// The production overlay runs the distributed topology (replica sets, a JetStream cluster, two or
// more pods of every service with disruption budgets and autoscalers); the local one shrinks it.
// Storage and memory budgets fit what the engines reserve.
import {
  bytesOf,
  Cluster,
  type JobSpec,
  type LabelSelector,
  type Manifest,
  natsBytesOf,
  OVERLAYS,
  render,
  type StatefulSetSpec,
  selects,
} from './renderOverlays';
import { services, streamSettingsOf } from './repository';

const rendered = render(OVERLAYS);
const production = new Cluster(rendered['k8s/overlays/production'].objects);
const local = new Cluster(rendered['k8s/overlays/local'].objects);
const workspaces = services();
const SUBGRAPHS = ['users', 'tickets', 'orders', 'payments'];
/** The services with a MongoDB of their own. */
const WITH_DATABASE = [...SUBGRAPHS, 'email'];

interface HpaSpec {
  scaleTargetRef: { kind: string; name: string };
  minReplicas: number;
  maxReplicas: number;
  metrics: {
    type: string;
    resource?: { name: string; target: { type: string; averageUtilization?: number } };
  }[];
}
interface PdbSpec {
  selector: LabelSelector;
  minAvailable?: number | string;
  maxUnavailable?: number | string;
}

const pdbsOf = (cluster: Cluster, labels: Record<string, string>) =>
  cluster.ofKind('PodDisruptionBudget').filter((p) => selects((p.spec as PdbSpec).selector, labels));

describe('production', () => {
  test.each(workspaces.map((w) => [w.name]))(
    '%s: two pods at least, one disruption at a time, CPU requests',
    (name) => {
      const d = production.deployment(name);
      const hpa = production
        .ofKind('HorizontalPodAutoscaler')
        .find((h) => (h.spec as HpaSpec).scaleTargetRef.name === name);
      const minimum = hpa ? (hpa.spec as HpaSpec).minReplicas : (d.spec.replicas ?? 1);
      expect(minimum).toBeGreaterThanOrEqual(2);
      // With an autoscaler the Deployment leaves the count to it (a re-apply would reset it).
      if (hpa) expect(d.spec.replicas).toBeUndefined();
      const pdbs = pdbsOf(production, d.spec.template.metadata.labels);
      expect(pdbs.map((p) => (p.spec as PdbSpec).maxUnavailable)).toEqual([1]);
      expect(production.container(name).resources?.requests?.cpu).toBeDefined();
    },
  );

  test.each([['gateway'], ...SUBGRAPHS.map((s) => [s])])('%s: autoscaled on CPU', (name) => {
    const hpa = production.find<HpaSpec>('HorizontalPodAutoscaler', name);
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);
  });

  test.each(WITH_DATABASE.map((s) => [s]))(
    '%s-mongo: a replica set of three, initiated by its Job with the same members',
    (name) => {
      const sts = production.statefulSet(`${name}-mongo`);
      expect(sts.spec.replicas).toBe(3);
      expect(
        pdbsOf(production, sts.spec.template.metadata.labels).map((p) => (p.spec as PdbSpec).maxUnavailable),
      ).toEqual([1]);
      const job = production.find<JobSpec>('Job', `${name}-mongo-init`);
      const env = production.containerEnv(production.container(job.metadata.name, 'Job'));
      expect({
        members: env.get('MEMBERS'),
        set: env.get('REPLICA_SET'),
        service: env.get('SERVICE'),
      }).toEqual({
        members: '3',
        set: name,
        service: sts.spec.serviceName,
      });
      expect(job.spec.template.spec.volumes?.[0]?.configMap?.name).toBe('mongo-init');
    },
  );

  test('NATS: three servers in one JetStream cluster, routes to each, streams replicated on all three', () => {
    const sts = production.statefulSet('nats');
    expect(sts.spec.replicas).toBe(3);
    const conf = natsConf(production);
    const routes = [...conf.matchAll(/nats:\/\/(nats-\d)\.nats-headless:6222/g)].map((m) => m[1]);
    expect(routes).toEqual(['nats-0', 'nats-1', 'nats-2']);
    expect(conf).toMatch(/server_name:\s*\$POD_NAME/);
    expect(streamSettingsOf(production.configMapData('events-config')).replicas).toBe(3);
  });
});

describe('local', () => {
  test('one pod of everything, one NATS server, one-member replica sets initiated as such, no autoscalers or budgets', () => {
    for (const kind of ['Deployment', 'StatefulSet']) {
      for (const w of local.ofKind(kind))
        expect({ w: w.metadata.name, replicas: (w.spec as StatefulSetSpec).replicas }).toEqual({
          w: w.metadata.name,
          replicas: 1,
        });
    }
    expect(local.ofKind('HorizontalPodAutoscaler')).toEqual([]);
    expect(local.ofKind('PodDisruptionBudget')).toEqual([]);
    expect(natsConf(local)).not.toMatch(/cluster\s*\{/);
    expect(streamSettingsOf(local.configMapData('events-config')).replicas).toBe(1);
    for (const s of WITH_DATABASE) {
      const job = local.find<JobSpec>('Job', `${s}-mongo-init`);
      expect(local.containerEnv(local.container(job.metadata.name, 'Job')).get('MEMBERS')).toBe('1');
    }
  });

  test('smaller requests than production', () => {
    for (const w of workspaces) {
      const small = bytesOf(local.container(w.name).resources?.requests?.memory ?? '0');
      expect(small).toBeLessThanOrEqual(
        bytesOf(production.container(w.name).resources?.requests?.memory ?? '0'),
      );
    }
  });
});

/** The nats-server configuration the overlay mounts. */
function natsConf(cluster: Cluster): string {
  return Object.values(cluster.generatedConfigMap('nats-config').data ?? {}).join('\n');
}

describe.each(OVERLAYS)('%s budgets', (overlay) => {
  const cluster = new Cluster(rendered[overlay].objects);

  // nats-server reserves each stream's max_bytes, on every server holding a copy, against
  // max_file_store; without one it grants 75% of the disk free at start, which shrinks as events
  // accumulate until a restart cannot reserve the streams and every service's start fails.
  test("the streams' reservations fit NATS's JetStream budget, which fits its volume, with headroom", () => {
    const conf = natsConf(cluster);
    const budget = /max_file_store:\s*(\S+)/.exec(conf)?.[1];
    expect(budget).toBeDefined();
    const maxFileStore = natsBytesOf(budget as string);
    const streams = streamSettingsOf(cluster.configMapData('events-config'));
    const reserved = streams.maxBytes + streams.deadLetterMaxBytes;
    const volume = bytesOf(
      cluster.statefulSet('nats').spec.volumeClaimTemplates?.[0]?.spec.resources.requests.storage ?? '0',
    );
    // A fifth of the budget for Raft logs and the consumers' state; a quarter of the volume for
    // the file store's own overhead (indexes, compaction).
    expect(reserved).toBeLessThanOrEqual(0.8 * maxFileStore);
    expect(maxFileStore).toBeLessThanOrEqual(0.75 * volume);
    expect(streams.replicas).toBeLessThanOrEqual(cluster.statefulSet('nats').spec.replicas ?? 1);
  });

  test('Redis: maxmemory under its memory limit, with the noeviction policy BullMQ requires', () => {
    const redis = cluster.container('redis', 'StatefulSet');
    const args = redis.args ?? [];
    const arg = (flag: string) => args[args.indexOf(flag) + 1];
    expect(arg('--maxmemory-policy')).toBe('noeviction');
    const maxmemory = /^(\d+)mb$/.exec(arg('--maxmemory') ?? '');
    expect(maxmemory).not.toBeNull();
    // Room above maxmemory for the AOF rewrite's fork and the clients' buffers.
    expect(Number(maxmemory?.[1]) * 1024 ** 2).toBeLessThanOrEqual(
      0.8 * bytesOf(redis.resources?.limits?.memory ?? '0'),
    );
    expect(arg('--appendonly')).toBe('yes');
  });

  test("MongoDB's WiredTiger cache fits its container's memory", () => {
    for (const sts of cluster
      .ofKind('StatefulSet')
      .filter((s) => s.metadata.name.endsWith('-mongo')) as (Manifest & {
      spec: StatefulSetSpec;
    })[]) {
      const mongod = sts.spec.template.spec.containers[0];
      const args = mongod?.args ?? [];
      const cache = Number(args[args.indexOf('--wiredTigerCacheSizeGB') + 1]) * 1024 ** 3;
      expect(cache).toBeLessThanOrEqual(0.5 * bytesOf(mongod?.resources?.limits?.memory ?? '0'));
    }
  });
});
