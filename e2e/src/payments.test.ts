import { FakeStripe } from '@ticketing/payments/testing';
import { gql } from './gql';
import {
  type Account,
  cancelOrder,
  createOrder,
  createTicket,
  eventually,
  readOrder,
  signUp,
  waitForTicket,
  waitUntilOrderable,
} from './marketplaceClient';
import { startTestStack, type TestStack } from './startTestStack';

// Issue 6 across the subgraphs, through the gateway: a payment completes the order and sells the
// ticket; declines leave the order payable until the third, which releases the ticket.

const PAY = `mutation ($id: ID!, $pm: String!) {
  payOrder(orderId: $id, paymentMethodId: $pm) { id status amount stripeId stripeRefundId order { id status } }
}`;

interface PaymentView {
  id: string;
  status: string;
  amount: number;
  stripeId: string | null;
  stripeRefundId: string | null;
  order: { id: string; status: string };
}

const pay = (url: string, buyer: Account, orderId: string, pm = 'pm_card_visa') =>
  gql<{ payOrder: PaymentView }>(url, PAY, { id: orderId, pm }, { cookie: buyer.cookie });

async function reserved(url: string, seller: Account, buyer: Account, price: number) {
  const ticket = await createTicket(url, seller, 'Opera — Box 3', price);
  await waitUntilOrderable(url, seller, ticket.id);
  const order = (await createOrder(url, buyer, ticket.id)).data?.createOrder;
  if (!order) throw new Error('no order');
  return { ticket, order };
}

describe('on stripe-mock', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('payments_flow');
  });
  afterAll(() => stack.stop());

  test('pay: COMPLETED with stripeId and the exact amount, order COMPLETE, ticket SOLD; then nothing undoes it', async () => {
    const url = stack.gateway.url;
    const [seller, buyer, other] = await Promise.all([
      signUp(url, 'seller'),
      signUp(url, 'buyer'),
      signUp(url, 'other'),
    ]);
    const { ticket, order } = await reserved(url, seller, buyer, 19.99);

    const paid = await pay(url, buyer, order.id);
    expect(paid.errors).toBeUndefined();
    expect(paid.data?.payOrder).toMatchObject({
      status: 'COMPLETED',
      amount: 19.99,
      stripeId: expect.stringMatching(/^pi_/),
    });

    const complete = await eventually(async () => {
      const o = await gql<{ order: { status: string; payment: { id: string; status: string } | null } }>(
        url,
        'query ($id: ID!) { order(id: $id) { status payment { id status } } }',
        { id: order.id },
        { cookie: buyer.cookie },
      );
      return o.data?.order?.status === 'COMPLETE' ? o.data.order : undefined;
    });
    expect(complete.payment).toEqual({ id: paid.data?.payOrder.id, status: 'COMPLETED' });
    await waitForTicket(url, ticket.id, 'SOLD');

    expect((await pay(url, buyer, order.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await cancelOrder(url, buyer, order.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await createOrder(url, other, ticket.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const edit = await gql(
      url,
      'mutation ($id: ID!) { updateTicket(id: $id, input: { price: 5 }) { id } }',
      { id: ticket.id },
      { cookie: seller.cookie },
    );
    expect(edit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await readOrder(url, buyer, order.id))?.status).toBe('COMPLETE');
  });
});

describe('with a card that declines', () => {
  const stripe = new FakeStripe();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('payments_declines', {}, { stripe });
  });
  afterAll(() => stack.stop());

  test("a decline says Stripe's reason and leaves the order payable; three cancel it and release the ticket", async () => {
    const url = stack.gateway.url;
    const [seller, buyer, next] = await Promise.all([
      signUp(url, 'seller'),
      signUp(url, 'buyer'),
      signUp(url, 'next'),
    ]);
    const { ticket, order } = await reserved(url, seller, buyer, 42);
    stripe.answer(
      FakeStripe.decline('Your card has insufficient funds.', 'insufficient_funds'),
      FakeStripe.decline(),
      FakeStripe.decline(),
    );

    const first = await pay(url, buyer, order.id, 'pm_card_chargeDeclinedInsufficientFunds');
    expect(first.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'paymentMethodId', message: 'Your card has insufficient funds.' }],
    });
    expect((await readOrder(url, buyer, order.id))?.status).not.toBe('CANCELLED');
    expect((await waitForTicket(url, ticket.id, 'RESERVED')).id).toBe(ticket.id);

    await pay(url, buyer, order.id, 'pm_card_chargeDeclined');
    const third = await pay(url, buyer, order.id, 'pm_card_chargeDeclined');
    expect(third.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    await eventually(async () => (await readOrder(url, buyer, order.id))?.status === 'CANCELLED');
    await waitForTicket(url, ticket.id, 'AVAILABLE');
    expect((await createOrder(url, next, ticket.id)).data?.createOrder.ticket.id).toBe(ticket.id);
  });

  test('while a payment is in flight the order is AWAITING_PAYMENT: a decline makes it CREATED again, a success COMPLETE', async () => {
    const url = stack.gateway.url;
    const [seller, buyer] = await Promise.all([signUp(url, 'seller'), signUp(url, 'buyer')]);
    const { order } = await reserved(url, seller, buyer, 17);
    const statusIs = (status: string) => async () =>
      (await readOrder(url, buyer, order.id))?.status === status;

    let answerDecline: () => void = () => undefined;
    const declineHeld = new Promise<void>((r) => (answerDecline = r));
    stripe.answer(async (request) => {
      await declineHeld;
      return FakeStripe.decline()(request);
    });
    const declined = pay(url, buyer, order.id, 'pm_card_chargeDeclined'); // Stripe is thinking…
    await eventually(statusIs('AWAITING_PAYMENT'));
    answerDecline();
    expect((await declined).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await eventually(statusIs('CREATED'));

    let answerSuccess: () => void = () => undefined;
    stripe.answer(FakeStripe.after(new Promise<void>((r) => (answerSuccess = r))));
    const paid = pay(url, buyer, order.id);
    await eventually(statusIs('AWAITING_PAYMENT'));
    answerSuccess();
    expect((await paid).data?.payOrder.status).toBe('COMPLETED');
    await eventually(statusIs('COMPLETE'));
  });
});

describe('a payment that lands after the lock expired', () => {
  const stripe = new FakeStripe();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack(
      'payments_late',
      { ORDER_EXPIRATION_SECONDS: '2', ORDER_SWEEP_INTERVAL_MS: '250' },
      { stripe },
    );
  });
  afterAll(() => stack.stop());

  test('is refunded, and the ticket stays with whoever holds it now', async () => {
    const url = stack.gateway.url;
    const [seller, late, next] = await Promise.all([
      signUp(url, 'seller'),
      signUp(url, 'late'),
      signUp(url, 'next'),
    ]);
    const { ticket, order } = await reserved(url, seller, late, 30);
    let release: () => void = () => undefined;
    stripe.answer(FakeStripe.after(new Promise<void>((r) => (release = r))));
    const reply = pay(url, late, order.id); // Stripe is still confirming…
    await eventually(() => stripe.charges.some((c) => c.metadata.orderId === order.id));

    // …while the lock runs out and another buyer takes the ticket.
    await eventually(async () => (await readOrder(url, late, order.id))?.status === 'CANCELLED');
    const taken = await eventually(async () => (await createOrder(url, next, ticket.id)).data?.createOrder);
    release();

    const payment = (await reply).data?.payOrder;
    expect(payment).toMatchObject({ status: 'REFUNDED', stripeRefundId: expect.stringMatching(/^re_/) });
    expect((await readOrder(url, late, order.id))?.status).toBe('CANCELLED');
    expect((await readOrder(url, next, taken.id))?.status).toBe('CREATED');
    expect((await waitForTicket(url, ticket.id, 'RESERVED')).reservedUntil).toBe(taken.expiresAt);
  });
});
