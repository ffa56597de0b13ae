import { servedByGateway } from '@ticketing/kit/graphql';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { Order } from './types';

/** Declared here because orders owns the data; served by the gateway over graphql-ws on /graphql. */
@Resolver()
export class OrderSubscriptions {
  @Subscription(() => Order, {
    description:
      "The buyer's order, each time its status or payment changes (expiry, cancellation, completion). Only the buyer may subscribe.",
    subscribe: servedByGateway,
  })
  orderChanged(@Arg('id', () => ID) _id: string, @Root() order: Order): Order {
    return order;
  }
}
