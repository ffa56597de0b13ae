// Static review of k8s/, skaffold.yaml and the Dockerfile: no cluster needed. Reads the manifests and
// the repository's own sources of truth (workspaces with a start script, each service's settings
// spec, rover.yaml) and checks they agree.
import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const K8S = path.join(ROOT, 'k8s');
const SECRET_TEMPLATE = 'k8s/secrets.example.yaml';
const SECRET_NAME = 'ticketing-secrets';
const IMAGE_PREFIX = 'ticketing/';

// ---- the shapes read from the manifests (only the fields checked here)

interface Meta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  /** Where it was read from, relative to the repository root. */
  file: string;
}
type PortRef = number | string;
interface Probe {
  httpGet?: { path?: string; port: PortRef };
  tcpSocket?: { port: PortRef };
  exec?: { command: string[] };
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
  };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[] };
}
interface DeploymentSpec {
  replicas?: number;
  template: PodTemplate;
}
interface StatefulSetSpec {
  serviceName: string;
  template: PodTemplate;
  volumeClaimTemplates?: { metadata: { name: string } }[];
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  selector: Record<string, string>;
  ports: { name?: string; port: number; targetPort?: PortRef }[];
}
interface IngressSpec {
  rules: {
    host: string;
    http: {
      paths: {
        path: string;
        pathType: string;
        backend: { service: { name: string; port: { number: number } } };
      }[];
    };
  }[];
}
interface Skaffold {
  apiVersion: string;
  build: {
    artifacts: {
      image: string;
      context?: string;
      docker?: { dockerfile?: string; buildArgs?: Record<string, string> };
    }[];
  };
  manifests: { rawYaml: string[] };
}

// ---- reading the repository

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(e.name) ? [rel(full)] : [];
  });
}

function loadManifests(files: string[]): Manifest[] {
  return files.flatMap((file) =>
    parseAllDocuments(read(file)).flatMap((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const value = doc.toJS() as Omit<Manifest, 'file'> | null;
      return value ? [{ ...value, file }] : [];
    }),
  );
}

interface Workspace {
  /** Folder relative to the root, e.g. subgraphs/users. */
  dir: string;
  /** Service name = Deployment name = folder name, e.g. users. */
  name: string;
  worker: boolean;
}

/** Every workspace with a `start` script: each one is a service that must run in the cluster. */
function services(): Workspace[] {
  const root = JSON.parse(read('package.json')) as { workspaces: string[] };
  const dirs = root.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return fs
      .readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${parent}/${e.name}`);
  });
  return dirs
    .filter((dir) => fs.existsSync(path.join(ROOT, dir, 'package.json')))
    .filter((dir) => {
      const pkg = JSON.parse(read(`${dir}/package.json`)) as { scripts?: Record<string, string> };
      return Boolean(pkg.scripts?.start);
    })
    .map((dir) => ({ dir, name: path.basename(dir), worker: dir.startsWith('workers/') }));
}

function sourceFiles(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((e) => {
    const child = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(child);
    return /\.(ts|tsx|mjs|js)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [child] : [];
  });
}

/** Names read as `process.env.NAME` (or `process.env['NAME']`) in a folder's sources. */
function processEnvNames(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(dir)) {
    for (const m of read(file).matchAll(
      /process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g,
    )) {
      names.add((m[1] ?? m[2]) as string);
    }
  }
  return names;
}

interface SettingsSpec {
  keys: Set<string>;
  /** Keys with only a development default: required when NODE_ENV=production. */
  requiredInProduction: Set<string>;
  /** Literal `default: <number>` of PORT, when there is one. */
  defaultPort?: number;
}

/**
 * The keys of `export const <x>SettingsSpec = { ... }` in <ws>/src/settings.ts, read from the source
 * (importing would tie this check to every workspace's build and dependencies).
 */
function settingsSpec(ws: Workspace): SettingsSpec | undefined {
  const file = `${ws.dir}/src/settings.ts`;
  if (!fs.existsSync(path.join(ROOT, file))) return undefined;
  const source = read(file);
  const start = source.search(/export const \w*SettingsSpec\s*=\s*\{/);
  if (start < 0) throw new Error(`${file}: no exported ...SettingsSpec object`);
  const body = source.slice(start, source.indexOf('\n};', start));
  const spec: SettingsSpec = { keys: new Set(), requiredInProduction: new Set() };
  for (const m of body.matchAll(/^ {2}([A-Z][A-Z0-9_]*)\s*:(.*)$/gm)) {
    const [, key, rest] = m as unknown as [string, string, string];
    spec.keys.add(key);
    if (/devDefault/.test(rest) && !/\bdefault:/.test(rest)) spec.requiredInProduction.add(key);
    const port = key === 'PORT' ? /\bdefault:\s*(\d+)/.exec(rest) : null;
    if (port?.[1]) spec.defaultPort = Number(port[1]);
  }
  if (!spec.keys.size) throw new Error(`${file}: found no settings keys`);
  return spec;
}

interface RoverSubgraph {
  name: string;
  url: URL;
}
function roverSubgraphs(): RoverSubgraph[] {
  const rover = parse(read('rover.yaml')) as { subgraphs: Record<string, { routing_url: string }> };
  return Object.entries(rover.subgraphs).map(([name, s]) => ({ name, url: new URL(s.routing_url) }));
}

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*')}$`);
}

// ---- loaded once

const files = yamlFiles(K8S);
const manifests = loadManifests(files);
const applied = manifests.filter((m) => m.file !== SECRET_TEMPLATE);
const workspaces = services();
const rover = roverSubgraphs();
const skaffold = parse(read('skaffold.yaml')) as Skaffold;
const kitEnv = processEnvNames('kit/src');

const ofKind = (kind: string) => applied.filter((m) => m.kind === kind);
function find<T>(kind: string, name: string): Manifest & { spec: T } {
  const found = applied.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in k8s/`);
  return found as Manifest & { spec: T };
}
const deployment = (name: string) => find<DeploymentSpec>('Deployment', name);
const container = (name: string): Container => {
  const c = deployment(name).spec.template.spec.containers.find((x) => x.name === name);
  if (!c) throw new Error(`Deployment ${name} has no container named ${name}`);
  return c;
};
const secretTemplate = (() => {
  const s = manifests.find((m) => m.file === SECRET_TEMPLATE && m.kind === 'Secret');
  if (!s) throw new Error(`${SECRET_TEMPLATE} holds no Secret`);
  return s;
})();
const secretKeys = new Set(Object.keys({ ...secretTemplate.data, ...secretTemplate.stringData }));

/** Every variable a container gets, with its value when it is a literal or comes from a ConfigMap. */
function containerEnv(c: Container): Map<string, string | undefined> {
  const env = new Map<string, string | undefined>();
  for (const from of c.envFrom ?? []) {
    if (from.configMapRef) {
      for (const [k, v] of Object.entries(find('ConfigMap', from.configMapRef.name).data ?? {}))
        env.set(k, v);
    }
    if (from.secretRef) {
      expect(from.secretRef.name).toBe(SECRET_NAME);
      for (const k of secretKeys) env.set(k, undefined);
    }
  }
  for (const e of c.env ?? []) {
    const cm = e.valueFrom?.configMapKeyRef;
    const secret = e.valueFrom?.secretKeyRef;
    if (cm) env.set(e.name, find('ConfigMap', cm.name).data?.[cm.key]);
    else if (secret) {
      expect({ env: e.name, secret: secret.name }).toEqual({ env: e.name, secret: SECRET_NAME });
      expect({ env: e.name, keyInTemplate: secretKeys.has(secret.key) }).toEqual({
        env: e.name,
        keyInTemplate: true,
      });
      env.set(e.name, undefined);
    } else env.set(e.name, e.value);
  }
  return env;
}

function containerPort(c: Container, ref: PortRef): number | undefined {
  if (typeof ref === 'number') return ref;
  return c.ports?.find((p) => p.name === ref)?.containerPort;
}

const subgraphs = workspaces.filter((w) => w.dir.startsWith('subgraphs/'));

// ---- the checks

describe('k8s manifests', () => {
  test('every file parses into named Kubernetes objects, unique per kind', () => {
    expect(files.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const m of manifests) {
      expect({ file: m.file, apiVersion: typeof m.apiVersion, kind: typeof m.kind }).toEqual({
        file: m.file,
        apiVersion: 'string',
        kind: 'string',
      });
      expect(m.metadata?.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      const id = `${m.kind}/${m.metadata.name}`;
      expect(seen.has(id) ? id : '').toBe('');
      seen.add(id);
    }
  });

  test('the services are the workspaces with a start script', () => {
    expect(workspaces.map((w) => w.name).sort()).toEqual(
      ['expiration', 'gateway', 'orders', 'payments', 'tickets', 'users', 'web'].sort(),
    );
  });

  describe.each(workspaces.map((w) => [w.name, w] as const))('%s', (name, ws) => {
    test('has a Deployment running its image, and a ClusterIP Service unless it is the worker', () => {
      const d = deployment(name);
      const c = container(name);
      expect(c.image).toBe(`${IMAGE_PREFIX}${name}`);
      const service = applied.find((m) => m.kind === 'Service' && m.metadata.name === name);
      if (ws.worker) {
        expect(service).toBeUndefined();
        return;
      }
      expect(service).toBeDefined();
      const spec = (service as Manifest & { spec: ServiceSpec }).spec;
      expect(spec.type ?? 'ClusterIP').toBe('ClusterIP');
      expect(spec.clusterIP).not.toBe('None');
      // The Service selects the Deployment's pods and reaches a port the container declares.
      for (const [k, v] of Object.entries(spec.selector)) expect(d.spec.template.metadata.labels[k]).toBe(v);
      for (const p of spec.ports) expect(containerPort(c, p.targetPort ?? p.port)).toBeDefined();
    });

    test('has resource requests and limits', () => {
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
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, ws.dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const usesKit = Boolean(pkg.dependencies?.['@ticketing/kit']);
      const allowed = new Set(['NODE_ENV', ...(usesKit ? kitEnv : []), ...read, ...(spec?.keys ?? [])]);
      const isSubgraphUrl = (n: string) =>
        ws.name === 'gateway' && rover.some((s) => n === `SUBGRAPH_${s.name.toUpperCase()}_URL`);
      const env = containerEnv(container(name));
      const unknown = [...env.keys()].filter((n) => !allowed.has(n) && !isSubgraphUrl(n));
      expect(unknown).toEqual([]);
      expect(env.get('NODE_ENV')).toBe('production');
    });

    test('gets every setting that production requires, secrets from the Secret only', () => {
      const spec = settingsSpec(ws);
      const c = container(name);
      const env = containerEnv(c);
      const missing = [...(spec?.requiredInProduction ?? [])].filter((k) => !env.has(k));
      expect(missing).toEqual([]);
      // A key the Secret holds never sits in plain sight in a ConfigMap or a literal value.
      const fromSecret = new Set((c.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name));
      const exposed = [...env.keys()].filter((k) => secretKeys.has(k) && !fromSecret.has(k));
      expect(exposed).toEqual([]);
    });

    if (!ws.worker) {
      test('listens where its PORT setting, its Service and its probes say', () => {
        const c = container(name);
        const port = c.ports?.[0]?.containerPort;
        expect(port).toBeDefined();
        const env = containerEnv(c);
        const spec = settingsSpec(ws);
        expect(Number(env.get('PORT') ?? spec?.defaultPort ?? 3000)).toBe(port);
        expect(c.readinessProbe).toBeDefined();
        expect(c.livenessProbe).toBeDefined();
      });
    }
  });

  test('gateway: httpGet /healthz (liveness) and /readyz (readiness) on 4000, at least 2 replicas', () => {
    const c = container('gateway');
    expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(c.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(containerPort(c, c.livenessProbe?.httpGet?.port ?? -1)).toBe(4000);
    expect(containerPort(c, c.readinessProbe?.httpGet?.port ?? -1)).toBe(4000);
    expect(deployment('gateway').spec.replicas).toBeGreaterThanOrEqual(2);
  });

  test('web: httpGet / on 3000, and the API reached at the gateway Service', () => {
    const c = container('web');
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe?.httpGet?.path).toBe('/');
      expect(containerPort(c, probe?.httpGet?.port ?? -1)).toBe(3000);
    }
    const gatewayUrl = new URL(containerEnv(c).get('GATEWAY_URL') ?? '');
    expect(gatewayUrl.hostname).toBe('gateway');
    expect(portOf(gatewayUrl)).toBe(4000);
  });

  test.each(subgraphs.map((s) => [s.name]))('%s: probes GET /healthz on its service port', (name) => {
    const c = container(name);
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/healthz');
      expect(containerPort(c, probe?.httpGet?.port ?? -1)).toBe(c.ports?.[0]?.containerPort);
    }
  });

  test.each(subgraphs.map((s) => [s.name]))(
    '%s: MONGO_URI points at its own MongoDB StatefulSet (mongo:7, PVC, headless Service)',
    (name) => {
      const uri = new URL(containerEnv(container(name)).get('MONGO_URI') ?? '');
      expect(uri.protocol).toBe('mongodb:');
      expect(uri.hostname).toBe(`${name}-mongo`);
      expect(portOf(uri)).toBe(27017);
      const sts = find<StatefulSetSpec>('StatefulSet', `${name}-mongo`);
      expect(sts.spec.template.spec.containers[0]?.image).toBe('mongo:7');
      expect(sts.spec.volumeClaimTemplates?.length).toBeGreaterThan(0);
      expect(sts.spec.serviceName).toBe(`${name}-mongo`);
      const svc = find<ServiceSpec>('Service', `${name}-mongo`);
      expect(svc.spec.clusterIP).toBe('None');
      expect(svc.spec.ports.map((p) => p.port)).toContain(27017);
      for (const [k, v] of Object.entries(svc.spec.selector)) {
        expect(sts.spec.template.metadata.labels[k]).toBe(v);
      }
    },
  );

  test('NATS: nats:2.10-alpine with JetStream on a PVC, and every NATS_URL points at it', () => {
    const sts = find<StatefulSetSpec>('StatefulSet', 'nats');
    const c = sts.spec.template.spec.containers[0];
    expect(c?.image).toBe('nats:2.10-alpine');
    expect(c?.args).toContain('-js');
    expect(c?.args?.slice(c.args.indexOf('-sd'), c.args.indexOf('-sd') + 2)).toEqual(['-sd', '/data']);
    expect(c?.volumeMounts?.map((v) => v.mountPath)).toContain('/data');
    expect(sts.spec.volumeClaimTemplates?.length).toBeGreaterThan(0);
    expect(find<ServiceSpec>('Service', 'nats').spec.ports.map((p) => p.port)).toContain(4222);
    for (const ws of workspaces) {
      const url = containerEnv(container(ws.name)).get('NATS_URL');
      if (url !== undefined) expect({ ws: ws.name, url }).toEqual({ ws: ws.name, url: 'nats://nats:4222' });
    }
  });

  test('Redis: redis:7 with appendonly on a PVC, and every REDIS_URL points at it', () => {
    const sts = find<StatefulSetSpec>('StatefulSet', 'redis');
    const c = sts.spec.template.spec.containers[0];
    expect(c?.image).toBe('redis:7');
    expect(c?.args?.join(' ')).toMatch(/--appendonly yes/);
    expect(sts.spec.volumeClaimTemplates?.length).toBeGreaterThan(0);
    expect(find<ServiceSpec>('Service', 'redis').spec.ports.map((p) => p.port)).toContain(6379);
    for (const ws of workspaces) {
      const url = containerEnv(container(ws.name)).get('REDIS_URL');
      if (url !== undefined) expect({ ws: ws.name, url }).toEqual({ ws: ws.name, url: 'redis://redis:6379' });
    }
  });

  test.each(rover.map((s) => [s.name, s] as const))(
    'rover.yaml subgraph %s: a Service on its routing port, and the gateway routed to it',
    (name, subgraph) => {
      const svc = find<ServiceSpec>('Service', name);
      expect(svc.spec.ports.map((p) => p.port)).toContain(portOf(subgraph.url));
      const override = containerEnv(container('gateway')).get(`SUBGRAPH_${name.toUpperCase()}_URL`);
      expect(override).toBe(`http://${name}:${portOf(subgraph.url)}${subgraph.url.pathname}`);
    },
  );

  test('ingress: ticketing.dev routes /graphql to the gateway (long timeouts) and / to web', () => {
    const routes = ofKind('Ingress').flatMap((ing) =>
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
  });

  test('the Secret is a template: placeholders and the kubectl command that creates the real one', () => {
    const text = read(SECRET_TEMPLATE);
    expect(secretTemplate.metadata.name).toBe(SECRET_NAME);
    expect(text).toContain(`kubectl create secret generic ${SECRET_NAME}`);
    for (const key of secretKeys) expect(text).toContain(`--from-literal=${key}=`);
    for (const value of Object.values({ ...secretTemplate.data, ...secretTemplate.stringData })) {
      expect(value).toMatch(/change[-_]me/);
    }
  });
});

describe('skaffold.yaml', () => {
  const artifacts = skaffold.build.artifacts;

  test('one artifact per image used in k8s/, each built from the Dockerfile for its workspace', () => {
    const images = new Set(
      ofKind('Deployment')
        .flatMap((d) => (d.spec as DeploymentSpec).template.spec.containers.map((c) => c.image))
        .filter((image) => image.startsWith(IMAGE_PREFIX)),
    );
    expect(artifacts.map((a) => a.image).sort()).toEqual([...images].sort());
    for (const a of artifacts) {
      const ws = workspaces.find((w) => `${IMAGE_PREFIX}${w.name}` === a.image);
      expect({ image: a.image, workspace: a.docker?.buildArgs?.WORKSPACE }).toEqual({
        image: a.image,
        workspace: ws?.dir,
      });
      expect(a.docker?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      expect(a.context ?? '.').toBe('.');
    }
  });

  test('applies every manifest except the Secret template', () => {
    const patterns = skaffold.manifests.rawYaml.map(globToRegExp);
    const matched = (file: string) => patterns.some((p) => p.test(file));
    expect(files.filter((f) => f !== SECRET_TEMPLATE && !matched(f))).toEqual([]);
    expect(matched(SECRET_TEMPLATE)).toBe(false);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  test('multi-stage on node:20-bookworm-slim, parameterised by WORKSPACE, running as non-root', () => {
    expect(dockerfile).toMatch(/node:20-bookworm-slim/);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^ARG WORKSPACE$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev --workspace "\$WORKSPACE"/);
    expect(dockerfile).toMatch(/tsc -b "\$WORKSPACE"/);
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  test('.dockerignore keeps local build output out of the context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['**/node_modules', '**/dist', '**/.cache', '**/.data', '**/.next', '.git']) {
      expect(ignored).toContain(entry);
    }
    // A stale tsbuildinfo would make `tsc -b` skip emitting into the excluded dist/.
    expect(ignored).toContain('**/*.tsbuildinfo');
  });
});
