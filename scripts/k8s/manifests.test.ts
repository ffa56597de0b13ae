// The overlays as a cluster receives them: rendered by kustomize and checked against the Kubernetes
// API's own types and rules by tools/k8scheck (no cluster needed), then checked against the
// repository's sources of truth (workspaces with a start script, each service's settings spec,
// rover.yaml) and against each other (selectors, ports, probes, ConfigMaps, the Secret, images).
import { parseAllDocuments } from 'yaml';
import {
  Cluster,
  type Container,
  IMAGE_PREFIX,
  type Manifest,
  NAMESPACE,
  OVERLAYS,
  type PortRef,
  referencedVariables,
  render,
  SECRET_NAME,
  SECRET_TEMPLATE,
  type ServiceSpec,
  type StatefulSetSpec,
} from './renderOverlays';
import {
  portOf,
  processEnvNames,
  read,
  roverSubgraphs,
  services,
  settingsSpec,
  streamSettingKeys,
  ticketingDependencies,
} from './repository';

const rendered = render(OVERLAYS);
const workspaces = services();
const rover = roverSubgraphs();
const kitEnv = processEnvNames('kit/src');
const subgraphs = workspaces.filter((w) => w.dir.startsWith('subgraphs/'));
/** The services with a MongoDB of their own: the subgraphs and the email worker. */
const withDatabase = [...subgraphs.map((s) => s.name), 'email'];

const secretTemplate = parseAllDocuments(read(SECRET_TEMPLATE))
  .map((d) => d.toJS() as Manifest)
  .find((m) => m?.kind === 'Secret');
if (!secretTemplate) throw new Error(`${SECRET_TEMPLATE} holds no Secret`);
const secretValues = { ...secretTemplate.data, ...secretTemplate.stringData };
const secretKeys = new Set(Object.keys(secretValues));

function containerPort(c: Container, ref: PortRef): number | undefined {
  if (typeof ref === 'number') return ref;
  return c.ports?.find((p) => p.name === ref)?.containerPort;
}

test('the services are the workspaces with a start script', () => {
  expect(workspaces.map((w) => w.name).sort()).toEqual(
    ['email', 'expiration', 'gateway', 'orders', 'payments', 'tickets', 'users', 'web'].sort(),
  );
});

test('the Secret is a template: placeholders, and the kubectl command that creates the real one', () => {
  const text = read(SECRET_TEMPLATE);
  expect(secretTemplate.metadata).toMatchObject({ name: SECRET_NAME, namespace: NAMESPACE });
  expect(text).toContain(`kubectl -n ${NAMESPACE} create secret generic ${SECRET_NAME}`);
  for (const key of secretKeys) expect(text).toContain(`--from-literal=${key}=`);
  for (const value of Object.values(secretValues)) expect(value).toMatch(/change[-_]me/);
  // No overlay applies it: a deploy never overwrites the real one.
  for (const overlay of OVERLAYS) {
    expect(rendered[overlay].objects.filter((m) => m.kind === 'Secret').map((m) => m.metadata.name)).toEqual(
      [],
    );
  }
});

describe.each(OVERLAYS)('%s', (overlay) => {
  const { objects, problems } = rendered[overlay];
  const cluster = new Cluster(objects);
  const deployment = (name: string) => cluster.deployment(name);
  const container = (name: string) => cluster.container(name);
  const envOf = (c: Container) => cluster.containerEnv(c, secretValues);

  test('renders, and every object decodes strictly into the Kubernetes API types and passes their rules', () => {
    expect(objects.length).toBeGreaterThan(40);
    expect(problems.filter((p) => !p.includes('PodSecurity'))).toEqual([]);
  });

  test('every pod meets the "restricted" Pod Security Standard, which its namespace enforces', () => {
    expect(problems.filter((p) => p.includes('PodSecurity'))).toEqual([]);
    const ns = cluster.find('Namespace', NAMESPACE);
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const elsewhere = objects.filter((m) => m.kind !== 'Namespace' && m.metadata.namespace !== NAMESPACE);
    expect(elsewhere.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([]);
    for (const { kind, name, template } of cluster.podTemplates()) {
      const pod = (template.spec as { securityContext?: { runAsNonRoot?: boolean; runAsUser?: number } })
        .securityContext;
      expect({
        workload: `${kind}/${name}`,
        runAsNonRoot: pod?.runAsNonRoot,
        root: pod?.runAsUser === 0,
      }).toEqual({
        workload: `${kind}/${name}`,
        runAsNonRoot: true,
        root: false,
      });
    }
  });

  test('every ConfigMap a pod reads exists, and every secret key it reads is in the Secret template', () => {
    for (const { kind, name, template } of cluster.podTemplates()) {
      for (const c of template.spec.containers) {
        for (const from of c.envFrom ?? []) {
          if (from.configMapRef) expect(cluster.has('ConfigMap', from.configMapRef.name)).toBe(true);
          expect(from.secretRef).toBeUndefined();
        }
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (!ref) continue;
          expect({
            workload: `${kind}/${name}`,
            env: e.name,
            secret: ref.name,
            key: secretKeys.has(ref.key),
          }).toEqual({ workload: `${kind}/${name}`, env: e.name, secret: SECRET_NAME, key: true });
        }
        // A $(NAME) the kubelet cannot fill in would reach the process as it is.
        const defined = new Set([
          ...(c.env ?? []).map((e) => e.name),
          ...(c.envFrom ?? []).flatMap((f) =>
            Object.keys(f.configMapRef ? cluster.configMapData(f.configMapRef.name) : {}),
          ),
        ]);
        expect([...referencedVariables(c)].filter((n) => !defined.has(n))).toEqual([]);
      }
      for (const v of template.spec.volumes ?? []) {
        if (v.configMap) expect(cluster.has('ConfigMap', v.configMap.name)).toBe(true);
      }
    }
  });

  test('images: ours by the name skaffold builds, others pinned to a version', () => {
    for (const { template } of cluster.podTemplates()) {
      for (const c of template.spec.containers) {
        if (c.image.startsWith(IMAGE_PREFIX)) continue;
        expect(c.image).toMatch(/^[a-z0-9./-]+:\d[\w.-]*$/);
      }
    }
  });

  describe.each(workspaces.map((w) => [w.name, w] as const))('%s', (name, ws) => {
    test('has a Deployment running its image, and a ClusterIP Service unless it is the worker', () => {
      const d = deployment(name);
      expect(container(name).image).toBe(`${IMAGE_PREFIX}${name}`);
      const service = objects.find((m) => m.kind === 'Service' && m.metadata.name === name);
      if (ws.worker) {
        expect(service).toBeUndefined();
        return;
      }
      const spec = (service as Manifest & { spec: ServiceSpec }).spec;
      expect(spec.type ?? 'ClusterIP').toBe('ClusterIP');
      expect(spec.clusterIP).not.toBe('None');
      for (const [k, v] of Object.entries(spec.selector)) expect(d.spec.template.metadata.labels[k]).toBe(v);
      for (const p of spec.ports)
        expect(containerPort(container(name), p.targetPort ?? p.port)).toBeDefined();
    });

    test('has CPU and memory requests and limits', () => {
      const { resources } = container(name);
      for (const kind of ['requests', 'limits'] as const) {
        expect(resources?.[kind]?.cpu).toBeDefined();
        expect(resources?.[kind]?.memory).toBeDefined();
      }
    });

    test('gets only settings its code reads, with NODE_ENV=production', () => {
      const spec = settingsSpec(ws);
      const read = processEnvNames(`${ws.dir}/src`);
      for (const n of processEnvNames(`${ws.dir}/scripts`)) read.add(n);
      if (!spec && !read.size) throw new Error(`${ws.dir}: no src/settings.ts and no process.env reads`);
      const deps = ticketingDependencies(ws.dir);
      const c = container(name);
      const allowed = new Set([
        'NODE_ENV',
        ...(deps.includes('@ticketing/kit') ? kitEnv : []),
        ...(deps.includes('@ticketing/events') ? streamSettingKeys() : []),
        ...read,
        ...(spec?.keys ?? []),
        // Only there to be filled into another variable (a password into its URL).
        ...referencedVariables(c),
      ]);
      const isSubgraphUrl = (n: string) =>
        ws.name === 'gateway' && rover.some((s) => n === `SUBGRAPH_${s.name.toUpperCase()}_URL`);
      const env = envOf(c);
      expect([...env.keys()].filter((n) => !allowed.has(n) && !isSubgraphUrl(n))).toEqual([]);
      expect(env.get('NODE_ENV')).toBe('production');
    });

    test('gets every setting that production requires, secrets from the Secret only', () => {
      const c = container(name);
      const env = envOf(c);
      const missing = [...(settingsSpec(ws)?.requiredInProduction ?? [])].filter((k) => !env.has(k));
      expect(missing).toEqual([]);
      // A key the Secret holds never sits in plain sight in a ConfigMap or a literal value.
      const fromSecret = new Set((c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name));
      expect([...env.keys()].filter((k) => secretKeys.has(k) && !fromSecret.has(k))).toEqual([]);
      for (const e of c.env ?? []) expect(Object.values(secretValues)).not.toContain(e.value);
    });

    if (!ws.worker) {
      test('listens where its PORT setting, its Service and its probes say', () => {
        const c = container(name);
        const port = c.ports?.[0]?.containerPort;
        expect(port).toBeDefined();
        expect(Number(envOf(c).get('PORT') ?? settingsSpec(ws)?.defaultPort ?? 3000)).toBe(port);
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
          expect(containerPort(c, probe?.httpGet?.port ?? -1)).toBe(port);
        }
      });
    }
  });

  test('gateway: liveness on /healthz, readiness on /readyz (its own state, not every subgraph)', () => {
    const c = container('gateway');
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
  });

  test('web: probed on /healthz, a static route (not a page with gateway queries); the API at the gateway Service', () => {
    const c = container('web');
    for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe])
      expect(probe?.httpGet?.path).toBe('/healthz');
    const route = read('web/src/app/healthz/route.ts');
    expect(route).toMatch(/export const dynamic = 'force-static'/);
    expect(route).toMatch(/export function GET\(/);
    const gatewayUrl = new URL(envOf(c).get('GATEWAY_URL') ?? '');
    expect(gatewayUrl.hostname).toBe('gateway');
    expect(portOf(gatewayUrl)).toBe(4000);
  });

  test.each(subgraphs.map((s) => [s.name]))('%s: probes GET /healthz on its service port', (name) => {
    const c = container(name);
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/healthz');
    }
  });

  test.each(withDatabase.map((name) => [name]))(
    '%s: MONGO_URI names its own replica set, seeded by its StatefulSet, with retryable writes',
    (name) => {
      const uri = new URL(envOf(container(name)).get('MONGO_URI') ?? '');
      expect(uri.protocol).toBe('mongodb:');
      expect(uri.hostname).toBe(`${name}-mongo`);
      expect(portOf(uri)).toBe(27017);
      expect(uri.searchParams.get('replicaSet')).toBe(name);
      expect(uri.searchParams.get('retryWrites')).toBe('true');
      expect(uri.searchParams.get('w')).toBe('majority');
      const sts = cluster.statefulSet(`${name}-mongo`);
      const mongod = sts.spec.template.spec.containers[0];
      expect(
        mongod?.args?.slice(mongod.args.indexOf('--replSet'), mongod.args.indexOf('--replSet') + 2),
      ).toEqual(['--replSet', name]);
      expect(sts.spec.serviceName).toBe(`${name}-mongo`);
      const svc = cluster.find<ServiceSpec>('Service', `${name}-mongo`);
      expect(svc.spec.clusterIP).toBe('None');
      expect(svc.spec.ports.map((p) => p.port)).toContain(27017);
      for (const [k, v] of Object.entries(svc.spec.selector))
        expect(sts.spec.template.metadata.labels[k]).toBe(v);
    },
  );

  test('NATS_URL and REDIS_URL reach their Services with the passwords the servers require', () => {
    const nats = cluster.container('nats', 'StatefulSet');
    const natsConf = Object.values(cluster.generatedConfigMap('nats-config').data ?? {}).join('\n');
    expect(natsConf).toMatch(/authorization\s*\{[^}]*user:\s*ticketing[^}]*password:\s*\$NATS_PASSWORD/);
    expect(envOf(nats).get('NATS_PASSWORD')).toBe(secretValues.NATS_PASSWORD);
    const redis = cluster.container('redis', 'StatefulSet');
    const args = redis.args ?? [];
    expect(args[args.indexOf('--requirepass') + 1]).toBe('$(REDIS_PASSWORD)');
    expect(envOf(redis).get('REDIS_PASSWORD')).toBe(secretValues.REDIS_PASSWORD);
    let clients = 0;
    for (const ws of workspaces) {
      const env = envOf(container(ws.name));
      const natsUrl = env.get('NATS_URL');
      if (natsUrl !== undefined) {
        clients++;
        const url = new URL(natsUrl);
        expect({ ws: ws.name, host: url.host, user: url.username, pass: url.password }).toEqual({
          ws: ws.name,
          host: 'nats:4222',
          user: 'ticketing',
          pass: secretValues.NATS_PASSWORD,
        });
      }
      const redisUrl = env.get('REDIS_URL');
      if (redisUrl !== undefined) {
        const url = new URL(redisUrl);
        expect({ ws: ws.name, host: url.host, pass: url.password }).toEqual({
          ws: ws.name,
          host: 'redis:6379',
          pass: secretValues.REDIS_PASSWORD,
        });
      }
    }
    expect(clients).toBe(7);
    for (const name of ['nats', 'redis']) {
      expect(cluster.find<ServiceSpec>('Service', name).spec.ports.length).toBeGreaterThan(0);
    }
  });

  test('every service that connects to NATS gets the same stream settings (events-config)', () => {
    const settings = workspaces
      .map((ws) => envOf(container(ws.name)))
      .filter((env) => env.has('NATS_URL'))
      .map((env) => streamSettingKeys().map((k) => env.get(k)));
    expect(settings.length).toBe(7);
    for (const s of settings) expect(s).toEqual(settings[0]);
    expect(settings[0]?.every((v) => v !== undefined)).toBe(true);
  });

  test.each(rover.map((s) => [s.name, s] as const))(
    'rover.yaml subgraph %s: a Service on its routing port, and the gateway routed to it',
    (name, subgraph) => {
      const svc = cluster.find<ServiceSpec>('Service', name);
      expect(svc.spec.ports.map((p) => p.port)).toContain(portOf(subgraph.url));
      const override = envOf(container('gateway')).get(`SUBGRAPH_${name.toUpperCase()}_URL`);
      expect(override).toBe(`http://${name}:${portOf(subgraph.url)}${subgraph.url.pathname}`);
    },
  );

  test('ingress: ticketing.dev routes /graphql to the gateway (long timeouts), / to web, webhooks to payments', () => {
    interface IngressSpec {
      rules: { host: string; http: { paths: { path: string; backend: { service: unknown } }[] } }[];
    }
    const routes = cluster
      .ofKind('Ingress')
      .flatMap((ing) =>
        (ing.spec as IngressSpec).rules
          .filter((r) => r.host === 'ticketing.dev')
          .flatMap((r) => r.http.paths.map((p) => ({ ing, path: p.path, backend: p.backend.service }))),
      );
    const graphql = routes.find((r) => r.path === '/graphql');
    expect(graphql?.backend).toEqual({ name: 'gateway', port: { number: 4000 } });
    const annotations = graphql?.ing.metadata.annotations ?? {};
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(300);
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(300);
    expect(routes.find((r) => r.path === '/')?.backend).toEqual({ name: 'web', port: { number: 3000 } });
    expect(routes.find((r) => r.path === '/webhooks/stripe')?.backend).toEqual({
      name: 'payments',
      port: { number: 4004 },
    });
  });

  test('StatefulSets: each has its governing headless Service, and a volume for its data', () => {
    for (const sts of cluster.ofKind('StatefulSet') as (Manifest & { spec: StatefulSetSpec })[]) {
      const svc = cluster.find<ServiceSpec>('Service', sts.spec.serviceName);
      expect({ sts: sts.metadata.name, clusterIP: svc.spec.clusterIP }).toEqual({
        sts: sts.metadata.name,
        clusterIP: 'None',
      });
      expect(sts.spec.volumeClaimTemplates?.map((v) => v.metadata.name)).toEqual(['data']);
    }
  });
});
