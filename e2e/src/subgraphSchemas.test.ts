import { readFileSync } from 'node:fs';
import { readRoverConfig } from '@ticketing/gateway';
import { sdl as ordersSdl } from '@ticketing/orders';
import { sdl as paymentsSdl } from '@ticketing/payments';
import { sdl as ticketsSdl } from '@ticketing/tickets';
import { sdl as usersSdl } from '@ticketing/users';

// The SDL file rover.yaml composes for each subgraph is what that subgraph serves as
// _service { sdl }. When this fails, run `npm run supergraph` and commit the changed .graphql files.

const served: Record<string, () => Promise<string>> = {
  users: usersSdl,
  tickets: ticketsSdl,
  orders: ordersSdl,
  payments: paymentsSdl,
};

test('rover.yaml lists exactly the subgraphs there are', () => {
  expect(
    readRoverConfig()
      .subgraphs.map((s) => s.name)
      .sort(),
  ).toEqual(Object.keys(served).sort());
});

test.each(readRoverConfig().subgraphs.map((s) => [s.name, s] as const))(
  'the committed SDL of subgraph %s equals what it serves',
  async (name, subgraph) => {
    const sdl = served[name];
    if (!sdl) throw new Error(`no subgraph named ${name} in this test`);
    expect(readFileSync(subgraph.schemaFile, 'utf8')).toBe(await sdl());
  },
);
