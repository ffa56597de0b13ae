import type { ContainerType } from 'type-graphql';

/**
 * type-graphql's container over resolver instances built with their dependencies (no DI library):
 * each resolver class resolves to its one instance. Empty when a schema is built only to print it.
 */
export function instanceContainer(instances: readonly object[]): ContainerType {
  return {
    get: (cls) => {
      const instance = instances.find((r) => r instanceof cls);
      if (!instance) throw new Error(`no instance of ${String(cls)}`);
      return instance;
    },
  };
}
