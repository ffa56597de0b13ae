import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

/** rover.yaml at the repository root: rover's supergraph config format. */
export const ROVER_CONFIG = path.resolve(__dirname, '..', '..', 'rover.yaml');
export const SUPERGRAPH_FILE = path.resolve(__dirname, '..', '..', 'supergraph.graphql');

export interface RoverSubgraph {
  name: string;
  routingUrl: string;
  /** Absolute path of the committed SDL file. */
  schemaFile: string;
}

export interface RoverConfig {
  federationVersion: string;
  subgraphs: RoverSubgraph[];
}

interface RawRoverConfig {
  federation_version?: string;
  subgraphs?: Record<string, { routing_url?: string; schema?: { file?: string } }>;
}

export function readRoverConfig(file = ROVER_CONFIG): RoverConfig {
  const raw = parseYaml(readFileSync(file, 'utf8')) as RawRoverConfig;
  const subgraphs = Object.entries(raw.subgraphs ?? {}).map(([name, s]) => {
    if (!s.routing_url || !s.schema?.file)
      throw new Error(`${file}: subgraph ${name} needs routing_url and schema.file`);
    return { name, routingUrl: s.routing_url, schemaFile: path.resolve(path.dirname(file), s.schema.file) };
  });
  return { federationVersion: String(raw.federation_version ?? ''), subgraphs };
}

/** Composes rover.yaml's subgraphs (their committed SDL files) with @apollo/composition. */
export function composeSupergraph(file = ROVER_CONFIG): string {
  const config = readRoverConfig(file);
  const result = composeServices(
    config.subgraphs.map((s) => ({
      name: s.name,
      url: s.routingUrl,
      typeDefs: parse(readFileSync(s.schemaFile, 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  }
  return `${result.supergraphSdl}\n`;
}
