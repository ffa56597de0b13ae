import { catalogue } from '@ticketing/events';
import { CACHEABLE_SUBGRAPHS, knownEventTypes, subgraphsChangedBy } from './subgraphsChangedBy';

// Which cached answers each domain event drops.

test('given a ticket event, when it is seen, then tickets answers are dropped and users answers kept', () => {
  expect(subgraphsChangedBy('TicketCreated')).toEqual(['tickets']);
  expect(subgraphsChangedBy('TicketUpdated')).toEqual(['tickets']);
});

test('given an account event, when it is seen, then users answers are dropped', () => {
  expect(subgraphsChangedBy('UserUpdated')).toEqual(['users']);
});

test('given an order or payment event, when it is seen, then nothing cached changes (tickets announces its own change)', () => {
  expect(subgraphsChangedBy('OrderCreated')).toEqual([]);
  expect(subgraphsChangedBy('ChargeCreated')).toEqual([]);
});

test('given an event type nobody classified, when it is seen, then every cached answer is dropped', () => {
  expect(subgraphsChangedBy('TicketDeleted')).toEqual(CACHEABLE_SUBGRAPHS);
});

test('every event of the catalogue is classified (a new one needs a decision here)', () => {
  expect(catalogue.map((d) => d.type).filter((t) => !knownEventTypes().includes(t))).toEqual([]);
});
