import {
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  getOperationAST,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  typeFromAST,
} from 'graphql';

/**
 * Values for an operation's variables that pass validation, so it can be planned before anyone
 * sends it (the gateway checks variables before planning): a value for each required variable of
 * its type, nothing for optional ones. Nothing is executed with them (see warmUp).
 */
export function sampleVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName?: string,
): Record<string, unknown> {
  const operation = getOperationAST(document, operationName);
  const out: Record<string, unknown> = {};
  for (const definition of operation?.variableDefinitions ?? []) {
    const type = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
    if (type && isNonNullType(type) && !definition.defaultValue) {
      out[definition.variable.name.value] = sample(type);
    }
  }
  return out;
}

function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]?.value ?? null;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) out[field.name] = sample(field.type);
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'Int':
      case 'Float':
        return 0;
      case 'Boolean':
        return false;
      case 'DateTime':
        return new Date(0).toISOString();
      default:
        return '0';
    }
  }
  return null;
}
