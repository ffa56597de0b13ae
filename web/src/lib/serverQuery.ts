import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { describeError, type Problem } from './errors';
import { getClient } from './serverClient';

export type Loaded<T> = { data: T; problem: null } | { data: null; problem: Problem };

/** A query for a server component: data, or one problem to show in its place (never a throw). */
export async function serverQuery<T, V extends OperationVariables>(
  query: TypedDocumentNode<T, V>,
  variables?: V,
): Promise<Loaded<T>> {
  try {
    const result = await getClient().query<T, V>({
      query,
      errorPolicy: 'all',
      ...(variables ? { variables } : {}),
    } as never);
    if (result.error || result.data === undefined)
      return { data: null, problem: describeError(result.error) };
    return { data: result.data as T, problem: null };
  } catch (err) {
    return { data: null, problem: describeError(err) };
  }
}
