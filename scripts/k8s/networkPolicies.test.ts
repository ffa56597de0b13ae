// The NetworkPolicies evaluated as a cluster's network plugin would: who may open a connection to
// which pod and port. Only the gateway reaches the subgraphs, only each subgraph its database, and
// every connection the services' settings make is allowed.
import {
  Cluster,
  type Container,
  type LabelSelector,
  NAMESPACE,
  OVERLAYS,
  type PodTemplate,
  render,
  type ServiceSpec,
  selects,
} from './renderOverlays';
import { services } from './repository';

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
}
interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes?: string[];
  ingress?: { from?: PolicyPeer[]; ports?: { port?: number | string }[] }[];
}
/** A pod that opens connections: ours (in the namespace) or the ingress controller. */
interface Source {
  name: string;
  labels: Record<string, string>;
  namespace: Record<string, string>;
}

const INGRESS_CONTROLLER: Source = {
  name: 'ingress-nginx',
  labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
  namespace: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
};
const SUBGRAPHS = ['users', 'tickets', 'orders', 'payments'];
/** The services with a MongoDB of their own. */
const WITH_DATABASE = [...SUBGRAPHS, 'email'];
const rendered = render(OVERLAYS);

describe.each(OVERLAYS)('%s', (overlay) => {
  const cluster = new Cluster(rendered[overlay].objects);
  const policies = cluster.ofKind('NetworkPolicy').map((p) => p.spec as PolicySpec);
  const pods = new Map<string, PodTemplate>(cluster.podTemplates().map((w) => [w.name, w.template]));
  const ours: Source[] = [...pods].map(([name, t]) => ({
    name,
    labels: t.metadata.labels,
    namespace: { 'kubernetes.io/metadata.name': NAMESPACE },
  }));
  const everyone = [...ours, INGRESS_CONTROLLER];

  const template = (name: string) => {
    const t = pods.get(name);
    if (!t) throw new Error(`no workload ${name}`);
    return t;
  };

  /** Whether `source` may connect to the workload `target` on its container port `port`. */
  function allowed(source: Source, target: string, port: number): boolean {
    const t = template(target);
    const portName = t.spec.containers
      .flatMap((c: Container) => c.ports ?? [])
      .find((p) => p.containerPort === port)?.name;
    const applying = policies.filter(
      (p) => (p.policyTypes ?? ['Ingress']).includes('Ingress') && selects(p.podSelector, t.metadata.labels),
    );
    if (applying.length === 0) return true;
    return applying.some((p) =>
      (p.ingress ?? []).some((rule) => {
        const peerOk =
          !rule.from ||
          rule.from.some((peer) => {
            const inNamespace = peer.namespaceSelector
              ? selects(peer.namespaceSelector, source.namespace)
              : source.namespace['kubernetes.io/metadata.name'] === NAMESPACE;
            const podOk = peer.podSelector ? selects(peer.podSelector, source.labels) : true;
            return inNamespace && podOk;
          });
        const portOk = !rule.ports || rule.ports.some((p) => p.port === port || p.port === portName);
        return peerOk && portOk;
      }),
    );
  }

  const sourcesOf = (target: string, port: number) =>
    everyone
      .filter((s) => s.name !== target && allowed(s, target, port))
      .map((s) => s.name)
      .sort();

  /** The workload behind a Service name and port, and the container port it forwards to. */
  function backend(service: string, port: number): { workload: string; port: number } {
    const svc = cluster.find<ServiceSpec>('Service', service);
    const p = svc.spec.ports.find((x) => x.port === port);
    const workload = [...pods].find(([, t]) =>
      selects({ matchLabels: svc.spec.selector }, t.metadata.labels),
    );
    if (!p || !workload) throw new Error(`Service ${service}:${port} reaches nothing`);
    const target = p.targetPort ?? p.port;
    const containerPort =
      typeof target === 'number'
        ? target
        : workload[1].spec.containers.flatMap((c) => c.ports ?? []).find((x) => x.name === target)
            ?.containerPort;
    return { workload: workload[0], port: containerPort ?? -1 };
  }

  test('everything not allowed is denied: a default-deny policy selects every pod', () => {
    expect(
      policies.some((p) => Object.keys(p.podSelector).length === 0 && (p.ingress ?? []).length === 0),
    ).toBe(true);
  });

  test.each(SUBGRAPHS.map((s) => [s]))(
    'only the gateway reaches %s (and the ingress controller payments)',
    (name) => {
      const { port } = backend(name, template(name).spec.containers[0]?.ports?.[0]?.containerPort ?? -1);
      expect(sourcesOf(name, port)).toEqual(name === 'payments' ? ['gateway', 'ingress-nginx'] : ['gateway']);
    },
  );

  test.each(WITH_DATABASE.map((s) => [s]))(
    'only %s (with its own members and init Job) reaches its MongoDB',
    (name) => {
      expect(sourcesOf(`${name}-mongo`, 27017)).toEqual([name, `${name}-mongo-init`].sort());
      // Its members reach each other (replication); a pod of one workload is the same source here.
      expect(
        allowed(
          { ...(ours.find((s) => s.name === `${name}-mongo`) as Source), name: 'peer' },
          `${name}-mongo`,
          27017,
        ),
      ).toBe(true);
    },
  );

  test('the ingress controller reaches what the Ingresses route to', () => {
    interface IngressSpec {
      rules: { http: { paths: { backend: { service: { name: string; port: { number: number } } } }[] } }[];
    }
    for (const ing of cluster.ofKind('Ingress')) {
      for (const rule of (ing.spec as IngressSpec).rules) {
        for (const { backend: b } of rule.http.paths) {
          const { workload, port } = backend(b.service.name, b.service.port.number);
          expect({ workload, allowed: allowed(INGRESS_CONTROLLER, workload, port) }).toEqual({
            workload,
            allowed: true,
          });
        }
      }
    }
  });

  test("every connection a service's settings make is allowed", () => {
    const secret = { NATS_PASSWORD: 'p', REDIS_PASSWORD: 'p' };
    let checked = 0;
    for (const ws of services()) {
      const env = cluster.containerEnv(cluster.container(ws.name), secret);
      for (const [key, value] of env) {
        if (!value || !/_(URL|URI)$/.test(key)) continue;
        const url = new URL(value);
        if (!cluster.has('Service', url.hostname)) continue;
        const { workload, port } = backend(url.hostname, Number(url.port));
        const source = ours.find((s) => s.name === ws.name) as (typeof ours)[number];
        expect({ from: ws.name, key, to: workload, allowed: allowed(source, workload, port) }).toEqual({
          from: ws.name,
          key,
          to: workload,
          allowed: true,
        });
        checked++;
      }
    }
    // NATS from seven services, Redis from three, MongoDB from five, the subgraphs from the gateway, web's API.
    expect(checked).toBe(7 + 3 + 5 + 4 + 1);
  });

  test('the NATS servers reach each other on the route port', () => {
    const nats = ours.find((s) => s.name === 'nats') as Source;
    expect(allowed({ ...nats, name: 'peer' }, 'nats', 6222)).toBe(true);
    expect(sourcesOf('nats', 6222)).toEqual([]);
  });
});
