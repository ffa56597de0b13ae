// rover.yaml composed as `rover supergraph compose --config rover.yaml` would, with the composition
// library the gateway pins (rover.yaml's federation_version must name the same version).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');

interface RawRoverConfig {
  federation_version?: string;
  subgraphs?: Record<string, { routing_url?: string; schema?: { file?: string } }>;
}

export interface Composition {
  /** The supergraph SDL, as `npm run supergraph` writes it to supergraph.graphql. */
  supergraphSdl: string;
  /** The @apollo/composition version that composed it. */
  version: string;
  subgraphs: string[];
}

export function composeRover(configFile = path.join(ROOT, 'rover.yaml')): Composition {
  const raw = parseYaml(readFileSync(configFile, 'utf8')) as RawRoverConfig;
  const { version } = require('@apollo/composition/package.json') as { version: string };
  if (String(raw.federation_version) !== `=${version}`) {
    throw new Error(
      `${configFile} pins federation_version ${raw.federation_version}, but @apollo/composition is ${version}`,
    );
  }
  const subgraphs = Object.entries(raw.subgraphs ?? {}).map(([name, s]) => {
    if (!s.routing_url || !s.schema?.file)
      throw new Error(`${configFile}: subgraph ${name} needs routing_url and schema.file`);
    const file = path.resolve(path.dirname(configFile), s.schema.file);
    return { name, url: s.routing_url, typeDefs: parse(readFileSync(file, 'utf8')) };
  });
  const result = composeServices(subgraphs);
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: `${result.supergraphSdl}\n`, version, subgraphs: subgraphs.map((s) => s.name) };
}
