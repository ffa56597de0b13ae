import type { Shopper } from './Shopper';

/** What the flows did, for the audit to compare with what the services hold. */
export interface FlowTally {
  tickets: number;
  orders: number;
  paid: number;
  cancelled: number;
  abandoned: number;
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;

/**
 * One flow, over and over until `stop`: a seller lists a ticket, two buyers race to order it
 * (retrying NOT_FOUND while orders has not yet learned of the ticket), and the winner pays
 * (60 %), cancels (20 %) or walks away and lets the lock expire (20 %).
 */
export async function purchaseFlow(shoppers: Shopper[], tally: FlowTally, stop: () => boolean) {
  while (!stop()) {
    const seller = pick(shoppers);
    const listed = await seller.call(
      'createTicket',
      'mutation ($t: String!) { createTicket(input: { title: $t, priceMoney: { amount: "20.00", currencyCode: USD } }) { id } }',
      { t: `Chaos ${Date.now()}` },
    );
    const ticketId = (listed.data?.createTicket as { id?: string } | undefined)?.id;
    if (!ticketId) continue;
    tally.tickets++;
    const buyers = shoppers
      .filter((s) => s !== seller)
      .sort(() => Math.random() - 0.5)
      .slice(0, 2);
    const orders = await Promise.all(buyers.map((buyer) => order(buyer, ticketId)));
    const won = orders.findIndex((id) => id !== undefined);
    if (won === -1) continue;
    tally.orders++;
    const buyer = buyers[won] as Shopper;
    const orderId = orders[won] as string;
    const roll = Math.random();
    if (roll < 0.6) {
      const paid = await buyer.call(
        'payOrder',
        'mutation ($id: ID!) { payOrder(orderId: $id, paymentMethodId: "pm_card_visa") { id status } }',
        { id: orderId },
      );
      if (paid.code === 'OK') tally.paid++;
    } else if (roll < 0.8) {
      const cancelled = await buyer.call(
        'cancelOrder',
        'mutation ($id: ID!) { cancelOrder(id: $id) { id } }',
        {
          id: orderId,
        },
      );
      if (cancelled.code === 'OK') tally.cancelled++;
    } else {
      tally.abandoned++;
    }
  }
}

async function order(buyer: Shopper, ticketId: string): Promise<string | undefined> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const r = await buyer.call('createOrder', 'mutation ($id: ID!) { createOrder(ticketId: $id) { id } }', {
      id: ticketId,
    });
    if (r.code === 'OK') return (r.data?.createOrder as { id?: string } | undefined)?.id;
    if (r.code !== 'NOT_FOUND') return undefined; // CONFLICT: the other buyer has it
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}
