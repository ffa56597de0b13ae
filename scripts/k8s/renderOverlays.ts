// The kustomize overlays as a cluster would receive them, rendered and checked by tools/k8scheck
// (client-go's strict decoding, the API server's validation rules, the restricted Pod Security
// evaluator), plus the shapes the cross-object tests read from them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OVERLAYS = ['k8s/overlays/local', 'k8s/overlays/production'] as const;
export type Overlay = (typeof OVERLAYS)[number];
export const NAMESPACE = 'ticketing';
export const SECRET_NAME = 'ticketing-secrets';
export const SECRET_TEMPLATE = 'k8s/secrets.example.yaml';
export const IMAGE_PREFIX = 'ticketing/';

// ---- the shapes read from the manifests (only the fields checked here)

export interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: Meta;
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
export type PortRef = number | string;
export interface Probe {
  httpGet?: { path?: string; port: PortRef };
  tcpSocket?: { port: PortRef };
  exec?: { command: string[] };
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    configMapKeyRef?: { name: string; key: string };
    secretKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}
export interface Container {
  name: string;
  image: string;
  command?: string[];
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
export interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[]; volumes?: { name: string; configMap?: { name: string } }[] };
}
export interface DeploymentSpec {
  replicas?: number;
  template: PodTemplate;
}
export interface StatefulSetSpec {
  replicas?: number;
  serviceName: string;
  template: PodTemplate;
  volumeClaimTemplates?: {
    metadata: { name: string };
    spec: { resources: { requests: { storage: string } } };
  }[];
}
export interface JobSpec {
  template: PodTemplate;
}
export interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  selector: Record<string, string>;
  ports: { name?: string; port: number; targetPort?: PortRef }[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/** Where each overlay rendered to, and what tools/k8scheck found wrong in it. */
export interface Rendered {
  objects: Manifest[];
  problems: string[];
}

/** The path of tools/k8scheck's binary, built by scripts/stack/tools.mjs on first use. */
export function k8scheckBinary(): string {
  const out = execFileSync(
    process.execPath,
    ['-e', "import('./scripts/stack/tools.mjs').then((t) => console.log(t.ensureK8sCheck()))"],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const binary = out.trim().split('\n').at(-1) ?? '';
  if (!fs.existsSync(binary)) throw new Error(`tools/k8scheck was not built: ${out}`);
  return binary;
}

/** Renders kustomization folders (relative to the root, or absolute) with tools/k8scheck. */
export function render<D extends string>(dirs: readonly D[]): Record<D, Rendered> {
  const out = execFileSync(k8scheckBinary(), dirs, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 ** 2,
  });
  return JSON.parse(out) as Record<D, Rendered>;
}

/** Renders objects written as YAML into a scratch kustomization: for tests of the checker itself. */
export function renderYaml(yaml: string): Rendered {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8scheck-'));
  try {
    fs.writeFileSync(path.join(dir, 'objects.yaml'), yaml);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: [objects.yaml]\n');
    return render([dir])[dir] as Rendered;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Lookups into one rendered overlay. */
export class Cluster {
  constructor(readonly objects: Manifest[]) {}

  ofKind(kind: string): Manifest[] {
    return this.objects.filter((m) => m.kind === kind);
  }

  find<T>(kind: string, name: string): Manifest & { spec: T } {
    const found = this.objects.find((m) => m.kind === kind && m.metadata.name === name);
    if (!found) throw new Error(`no ${kind} named ${name}`);
    return found as Manifest & { spec: T };
  }

  has(kind: string, name: string): boolean {
    return this.objects.some((m) => m.kind === kind && m.metadata.name === name);
  }

  deployment(name: string) {
    return this.find<DeploymentSpec>('Deployment', name);
  }

  statefulSet(name: string) {
    return this.find<StatefulSetSpec>('StatefulSet', name);
  }

  /** The container named after its Deployment or StatefulSet. */
  container(name: string, kind: 'Deployment' | 'StatefulSet' | 'Job' = 'Deployment'): Container {
    const spec = this.find<{ template: PodTemplate }>(kind, name).spec;
    const c = spec.template.spec.containers.find((x) => x.name === name) ?? spec.template.spec.containers[0];
    if (!c) throw new Error(`${kind} ${name} has no container`);
    return c;
  }

  /** Pod templates of every workload, by the workload's kind and name. */
  podTemplates(): { kind: string; name: string; template: PodTemplate }[] {
    return this.objects
      .filter((m) => ['Deployment', 'StatefulSet', 'Job'].includes(m.kind))
      .map((m) => ({
        kind: m.kind,
        name: m.metadata.name,
        template: (m.spec as { template: PodTemplate }).template,
      }));
  }

  configMapData(name: string): Record<string, string> {
    return this.find('ConfigMap', name).data ?? {};
  }

  /** The ConfigMap kustomize generated from `base` (its name ends in a content hash). */
  generatedConfigMap(base: string): Manifest {
    const found = this.ofKind('ConfigMap').filter((m) =>
      new RegExp(`^${base}(-[a-z0-9]{10})?$`).test(m.metadata.name),
    );
    if (found.length !== 1)
      throw new Error(`expected one ConfigMap generated as ${base}, found ${found.length}`);
    return found[0] as Manifest;
  }

  /**
   * Every variable a container gets, with its value when it is a literal or comes from a ConfigMap
   * (undefined when it comes from a Secret), and $(NAME) references expanded as the kubelet does.
   */
  containerEnv(c: Container, secret: Record<string, string> = {}): Map<string, string | undefined> {
    const env = new Map<string, string | undefined>();
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef)
        for (const [k, v] of Object.entries(this.configMapData(from.configMapRef.name))) env.set(k, v);
      if (from.secretRef) for (const k of Object.keys(secret)) env.set(k, secret[k]);
    }
    for (const e of c.env ?? []) {
      const cm = e.valueFrom?.configMapKeyRef;
      const fromSecret = e.valueFrom?.secretKeyRef;
      if (cm) env.set(e.name, this.configMapData(cm.name)[cm.key]);
      else if (fromSecret) env.set(e.name, secret[fromSecret.key]);
      else if (e.value !== undefined) env.set(e.name, expand(e.value, env));
      else env.set(e.name, undefined);
    }
    return env;
  }
}

/** The kubelet's $(NAME) expansion: a variable defined before it, or left as it is. */
export function expand(value: string, env: Map<string, string | undefined>): string {
  return value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env.get(name) ?? whole);
}

/** Names used as $(NAME) in a container's literal variables. */
export function referencedVariables(c: Container): Set<string> {
  const names = new Set<string>();
  const texts = [...(c.env ?? []).map((e) => e.value ?? ''), ...(c.args ?? []), ...(c.command ?? [])];
  for (const text of texts)
    for (const m of text.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) names.add(m[1] as string);
  return names;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const ok =
      e.operator === 'In'
        ? has && (e.values ?? []).includes(value as string)
        : e.operator === 'NotIn'
          ? !has || !(e.values ?? []).includes(value as string)
          : e.operator === 'Exists'
            ? has
            : !has;
    if (!ok) return false;
  }
  return true;
}

/** A Kubernetes quantity in bytes ("10Gi", "512Mi", "1G"). */
export function bytesOf(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT]i?)?$/.exec(quantity);
  if (!m) throw new Error(`not a byte quantity: ${quantity}`);
  const [, n, unit = ''] = m;
  const powers: Record<string, number> = { '': 0, K: 1, M: 2, G: 3, T: 4 };
  const base = unit.endsWith('i') ? 1024 : 1000;
  return Number(n) * base ** (powers[unit.replace('i', '')] ?? 0);
}

/** A size in nats-server's configuration syntax: K, M, G are powers of 1000; KB, MB, GB of 1024. */
export function natsBytesOf(size: string): number {
  const m = /^(\d+)\s*([KMGT])?(B|IB)?$/i.exec(size.trim());
  if (!m) throw new Error(`not a nats-server size: ${size}`);
  const [, n, unit = '', binary] = m;
  const power = { '': 0, K: 1, M: 2, G: 3, T: 4 }[unit.toUpperCase()] ?? 0;
  return Number(n) * (binary ? 1024 : 1000) ** power;
}

/** A CPU quantity in millicores ("250m", "1"). */
export function millicoresOf(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}
