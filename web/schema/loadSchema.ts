import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type DefinitionNode, type DocumentNode, Kind, parse, print, type TypeDefinitionNode } from 'graphql';

const ROOT = path.resolve(__dirname, '../..');
export const SUPERGRAPH_FILE = path.join(ROOT, 'supergraph.graphql');
export const DESIGN_FILE = path.join(__dirname, 'design.graphql');

type Named = TypeDefinitionNode & { fields?: readonly { name: { value: string } }[] };

const isTypeDefinition = (d: DefinitionNode): d is Named =>
  'name' in d && d.name !== undefined && d.kind !== Kind.DIRECTIVE_DEFINITION && !('operation' in d);

/**
 * The supergraph, plus the types and fields of DESIGN.md's surface it lacks so far. A merge
 * (rather than codegen's own, which throws on any differing field) lets the supergraph win
 * wherever it already speaks.
 */
export function loadSchemaSdl(
  supergraphSdl = readFileSync(SUPERGRAPH_FILE, 'utf8'),
  designSdl = readFileSync(DESIGN_FILE, 'utf8'),
): string {
  const supergraph = parse(supergraphSdl);
  const known = new Map<string, Named>();
  for (const d of supergraph.definitions) if (isTypeDefinition(d)) known.set(d.name.value, d);
  const additions: DefinitionNode[] = [];
  let subscriptionAdded = false;
  for (const d of parse(designSdl).definitions) {
    if (!isTypeDefinition(d)) continue;
    const existing = known.get(d.name.value);
    if (!existing) {
      additions.push(d);
      if (d.name.value === 'Subscription') subscriptionAdded = true;
      continue;
    }
    const have = new Set((existing.fields ?? []).map((f) => f.name.value));
    const lacks = (f: { name: { value: string } }) => !have.has(f.name.value);
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION) {
      const fields = (d.fields ?? []).filter(lacks);
      if (fields.length) additions.push({ kind: Kind.OBJECT_TYPE_EXTENSION, name: d.name, fields });
    } else if (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      const fields = (d.fields ?? []).filter(lacks);
      if (fields.length) additions.push({ kind: Kind.INPUT_OBJECT_TYPE_EXTENSION, name: d.name, fields });
    }
  }
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [...supergraph.definitions, ...additions],
  };
  let sdl = print(document);
  // A Subscription type only becomes the root when the schema definition names it.
  if (subscriptionAdded)
    sdl = sdl.replace(/mutation: Mutation/, 'mutation: Mutation\n  subscription: Subscription');
  return sdl;
}
