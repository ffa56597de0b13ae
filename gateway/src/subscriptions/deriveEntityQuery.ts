import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  OperationTypeNode,
  print,
  type VariableDefinitionNode,
  visit,
} from 'graphql';

export const ENTITY_ID_VARIABLE = '__entityId';

export interface DerivedQuery {
  /** The query text: the same name, selection and fragments, on `queryField(id: $__entityId)`. */
  query: string;
  /** Where the payload sits in the result: the subscription field's alias or name. */
  responseKey: string;
}

/**
 * Turns `subscription S($id: ID!) { ticketChanged(id: $id) { status seller { id } } }` into
 * `query S($__entityId: ID!) { ticketChanged: ticket(id: $__entityId) { status seller { id } } }`:
 * the subscriber's selection, resolved through the supergraph for the entity an event names.
 * Subscribers with the same subscription text share one derived query (and its cached plan).
 */
export function deriveEntityQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  field: FieldNode,
  queryField: string,
): DerivedQuery {
  const responseKey = field.alias?.value ?? field.name.value;
  const derivedField: FieldNode = {
    ...field,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: queryField },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'id' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ENTITY_ID_VARIABLE } },
      },
    ],
  };
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  const used = variablesUsed([derivedField, ...fragments]);
  const entityIdDefinition: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: ENTITY_ID_VARIABLE } },
    type: {
      kind: Kind.NON_NULL_TYPE,
      type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } },
    },
  };
  const derived: OperationDefinitionNode = {
    ...operation,
    operation: OperationTypeNode.QUERY,
    variableDefinitions: [
      ...(operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)),
      entityIdDefinition,
    ],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [derivedField] },
  };
  return { query: print({ kind: Kind.DOCUMENT, definitions: [derived, ...fragments] }), responseKey };
}

function variablesUsed(nodes: ReadonlyArray<FieldNode | FragmentDefinitionNode>): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(v) {
        names.add(v.name.value);
      },
    });
  }
  names.delete(ENTITY_ID_VARIABLE);
  return names;
}
