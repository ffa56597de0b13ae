import { eventually, newId, PAY, type PayReply, useTestPayments } from './testing';

// Issue 6 at the payments boundary, on real FerretDB, NATS and stripe-mock (through stripe-node):
// point 1's success path and point 2. Orders are fed as OrderCreated / OrderCancelled events.

const t = useTestPayments('payments_pay');

test('the buyer pays: COMPLETED with stripeId and the exact amount, ChargeCreated, then a second payOrder is CONFLICT', async () => {
  const order = await t.orderCreated({ priceCents: 2599 });
  const paid = await t.gql<PayReply>(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
  expect(paid.errors).toBeUndefined();
  const payment = paid.data?.payOrder;
  expect(payment).toMatchObject({
    status: 'COMPLETED',
    amount: 25.99,
    amountMoney: { amount: '25.99', currencyCode: 'USD' },
    stripeRefundId: null,
    order: { id: order.id },
  });
  expect(payment?.stripeId).toMatch(/^pi_/);

  const stored = await t.service.models.Payments.findById(payment?.id).lean();
  expect(stored).toMatchObject({
    amountCents: 2599,
    currency: 'USD',
    attempt: 1,
    idempotencyKey: `payorder:${order.id}:1`,
  });

  const created = await eventually(() =>
    t.published.find((e) => e.type === 'ChargeCreated' && e.data.orderId === order.id),
  );
  expect(created).toMatchObject({
    aggregateId: payment?.id,
    aggregateVersion: 2,
    data: { orderId: order.id, amountCents: 2599, currency: 'USD', stripeId: payment?.stripeId },
  });
  // The attempt was announced before Stripe was asked (orders shows AWAITING_PAYMENT meanwhile).
  const ofOrder = t.published.filter((e) => e.data.orderId === order.id);
  expect(ofOrder.map((e) => [e.type, e.aggregateVersion])).toEqual([
    ['ChargeAttempted', 1],
    ['ChargeCreated', 2],
  ]);
  expect(ofOrder[0]).toMatchObject({ aggregateId: payment?.id, data: { amountCents: 2599, attempt: 1 } });

  const again = await t.gql<PayReply>(PAY, { orderId: order.id, pm: 'pm_card_visa' }, order.buyerId);
  expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(await t.service.models.Payments.countDocuments({ orderId: order.id })).toBe(1);

  // Order.payment, as the gateway asks for it: to the buyer only.
  const entities = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Order { payment { id status } } } }`;
  const reps = [{ __typename: 'Order', id: order.id }];
  const mine = await t.gql<{ _entities: Array<{ payment: unknown }> }>(entities, { reps }, order.buyerId);
  expect(mine.data?._entities).toEqual([{ payment: { id: payment?.id, status: 'COMPLETED' } }]);
  const theirs = await t.gql<{ _entities: Array<{ payment: unknown }> }>(entities, { reps }, newId());
  expect(theirs.data?._entities).toEqual([{ payment: null }]);
});

test('anonymous and non-buyer payOrder are refused; unknown orders and malformed payment methods too', async () => {
  const order = await t.orderCreated();
  const anonymous = await t.gql(PAY, { orderId: order.id, pm: 'pm_card_visa' });
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  const stranger = await t.gql(PAY, { orderId: order.id, pm: 'pm_card_visa' }, newId());
  expect(stranger.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const unknown = await t.gql(PAY, { orderId: newId(), pm: 'pm_card_visa' }, order.buyerId);
  expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const malformed = await t.gql(PAY, { orderId: order.id, pm: 'not a card' }, order.buyerId);
  expect(malformed.errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    fields: [{ field: 'paymentMethodId', message: expect.any(String) }],
  });
  expect(await t.service.models.Payments.countDocuments({ orderId: order.id })).toBe(0);
});

test('a cancelled or an expired order is refused with CONFLICT, and nothing is charged', async () => {
  const cancelled = await t.orderCreated();
  await t.orderCancelled(cancelled);
  const late = await t.gql(PAY, { orderId: cancelled.id, pm: 'pm_card_visa' }, cancelled.buyerId);
  expect(late.errors?.[0]).toMatchObject({
    message: 'The order is cancelled',
    extensions: { code: 'CONFLICT' },
  });

  const expired = await t.orderCreated({ expiresAt: new Date(Date.now() - 1000) });
  const tooLate = await t.gql(PAY, { orderId: expired.id, pm: 'pm_card_visa' }, expired.buyerId);
  expect(tooLate.errors?.[0]).toMatchObject({
    message: 'The order has expired',
    extensions: { code: 'CONFLICT' },
  });

  const ids = [cancelled.id, expired.id];
  expect(await t.service.models.Payments.countDocuments({ orderId: { $in: ids } })).toBe(0);
});
