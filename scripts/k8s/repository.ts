// What the repository says the cluster must run: the workspaces with a start script, each one's
// settings spec, the environment variables its code reads, and rover.yaml's subgraphs.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './renderOverlays';

export const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

export interface Workspace {
  /** Folder relative to the root, e.g. subgraphs/users. */
  dir: string;
  /** Service name = Deployment name = folder name, e.g. users. */
  name: string;
  worker: boolean;
}

/** Every workspace with a `start` script: each one is a service that must run in the cluster. */
export function services(): Workspace[] {
  return workspaceDirs()
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
export function processEnvNames(dir: string): Set<string> {
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

export interface SettingsSpec {
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
export function settingsSpec(ws: Workspace): SettingsSpec | undefined {
  const file = `${ws.dir}/src/settings.ts`;
  return fs.existsSync(path.join(ROOT, file)) ? specIn(file) : undefined;
}

function specIn(file: string): SettingsSpec {
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

/** The event streams' settings keys (events/src/streams.ts, streamSettingsSpec). */
export const streamSettingKeys = () => [...specIn('events/src/streams.ts').keys];

export interface StreamSettings {
  replicas: number;
  maxBytes: number;
  deadLetterMaxBytes: number;
}

/** The streams' settings an events-config ConfigMap gives (it must set each one). */
export function streamSettingsOf(data: Record<string, string>): StreamSettings {
  const value = (key: string) => {
    const n = Number(data[key]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`events-config: ${key} is not a positive integer`);
    return n;
  };
  return {
    replicas: value('NATS_STREAM_REPLICAS'),
    maxBytes: value('NATS_STREAM_MAX_BYTES'),
    deadLetterMaxBytes: value('NATS_DLQ_MAX_BYTES'),
  };
}

export interface RoverSubgraph {
  name: string;
  url: URL;
}
export function roverSubgraphs(): RoverSubgraph[] {
  const rover = parse(read('rover.yaml')) as { subgraphs: Record<string, { routing_url: string }> };
  return Object.entries(rover.subgraphs).map(([name, s]) => ({ name, url: new URL(s.routing_url) }));
}

export const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/** The workspaces' own packages a workspace depends on, e.g. ['@ticketing/kit', '@ticketing/events']. */
export function ticketingDependencies(dir: string): string[] {
  const pkg = JSON.parse(read(`${dir}/package.json`)) as { dependencies?: Record<string, string> };
  return Object.keys(pkg.dependencies ?? {}).filter((name) => name.startsWith('@ticketing/'));
}

/** Every workspace folder of the root package.json, e.g. subgraphs/users. */
export function workspaceDirs(): string[] {
  const root = JSON.parse(read('package.json')) as { workspaces: string[] };
  return root.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return fs
      .readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(ROOT, parent, e.name, 'package.json')))
      .map((e) => `${parent}/${e.name}`);
  });
}
