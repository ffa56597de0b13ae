import 'reflect-metadata';
import { Arg, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { buildFederatedSchema } from './buildFederatedSchema';
import { serviceSdl } from './schemaFile';

// type-graphql keeps its decorators' metadata in the order they ran, i.e. the order modules were
// loaded: here the resolvers are declared Zebra first, and the SDL still lists everything by name.

@ObjectType()
class Stripe {
  @Field()
  width!: number;
  @Field()
  colour!: string;
}

@Resolver()
class ZebraResolver {
  @Query(() => Stripe)
  stripe(): Stripe {
    return { width: 1, colour: 'black' };
  }
  @Mutation(() => Boolean)
  zebraRuns(@Arg('speed') _speed: number, @Arg('far') _far: boolean): boolean {
    return true;
  }
}

@Resolver()
class AppleResolver {
  @Query(() => String)
  apple(): string {
    return 'red';
  }
  @Mutation(() => Boolean)
  appleFalls(): boolean {
    return true;
  }
}

test('the SDL lists types, fields and arguments by name, whatever order the resolvers came in', async () => {
  const sdl = await serviceSdl(await buildFederatedSchema({ resolvers: [ZebraResolver, AppleResolver] }));
  expect(sdl).toBe(
    await serviceSdl(await buildFederatedSchema({ resolvers: [AppleResolver, ZebraResolver] })),
  );
  const order = (...names: string[]) => names.map((name) => sdl.indexOf(name));
  const sorted = (indices: number[]) => [...indices].sort((a, b) => a - b);
  for (const indices of [
    order('type Mutation', 'type Query', 'type Stripe'),
    order('appleFalls', 'zebraRuns'),
    order('apple:', 'stripe:'),
    order('colour:', 'width:'),
    order('far:', 'speed:'),
  ]) {
    expect(indices).not.toContain(-1);
    expect(indices).toEqual(sorted(indices));
  }
});
