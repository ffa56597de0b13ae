import type { Logger } from '@ticketing/kit';
import { type RawRoute, sendJson } from '@ticketing/kit/graphql';
import { Types } from 'mongoose';
import Stripe from 'stripe';
import type { PaymentDoc, PaymentsModels } from './models';
import type { PaymentLedger } from './PaymentLedger';

export interface StripeWebhookDeps {
  models: PaymentsModels;
  ledger: PaymentLedger;
  /** STRIPE_WEBHOOK_SECRET (whsec_...). */
  secret: string;
  logger?: Logger;
}

/** Where Stripe's webhooks are mounted; the body must reach the handler raw (signature over bytes). */
export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** Stripe's event payloads are a few KiB; a larger body is refused with 413 unread. */
const MAX_WEBHOOK_BYTES = 1024 ** 2;

/**
 * Stripe's webhook, a raw route on the subgraph's server: verifies the signature over the bytes
 * as sent, then applies payment_intent.succeeded, payment_intent.payment_failed and
 * charge.refunded through the same ledger as the synchronous path, so a redelivered or late event
 * changes nothing twice. A failure answers 500: Stripe retries.
 */
export function stripeWebhook(deps: StripeWebhookDeps): RawRoute {
  return {
    method: 'POST',
    path: STRIPE_WEBHOOK_PATH,
    maxBodyBytes: MAX_WEBHOOK_BYTES,
    handle: async (req, body, res) => {
      let event: Stripe.Event;
      try {
        event = Stripe.webhooks.constructEvent(body, req.headers['stripe-signature'] ?? '', deps.secret);
      } catch (err) {
        deps.logger?.warn({ err }, 'stripe webhook refused: bad signature');
        return sendJson(res, 400, { error: 'invalid signature' });
      }
      try {
        const handled = await handle(deps, event);
        sendJson(res, 200, { received: true, handled });
      } catch (err) {
        deps.logger?.error({ err, event: event.id, type: event.type }, 'stripe webhook failed');
        sendJson(res, 500, { error: 'not processed' });
      }
    },
  };
}

async function handle(deps: StripeWebhookDeps, event: Stripe.Event): Promise<boolean> {
  if (event.type === 'payment_intent.succeeded' || event.type === 'payment_intent.payment_failed') {
    const intent = event.data.object;
    const payment = await findPayment(deps.models, intent.metadata?.paymentId, intent.id);
    if (!payment) return false;
    if (event.type === 'payment_intent.succeeded') {
      await deps.ledger.settle(payment, { status: 'succeeded', stripeId: intent.id });
    } else {
      const error = intent.last_payment_error;
      await deps.ledger.settle(payment, {
        status: 'declined',
        stripeId: intent.id,
        reason: error?.message ?? 'The payment was declined',
        code: error?.decline_code ?? error?.code ?? null,
      });
    }
    return true;
  }
  if (event.type === 'charge.refunded') {
    const charge = event.data.object;
    const intentId =
      typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    const payment = await findPayment(deps.models, charge.metadata?.paymentId, intentId);
    if (!payment) return false;
    const refundId = charge.refunds?.data[0]?.id ?? `refund-of-${charge.id}`;
    await deps.ledger.refundedElsewhere(payment, refundId);
    return true;
  }
  return false;
}

/** By our id in the PaymentIntent's metadata (set at creation), else by the PaymentIntent id. */
async function findPayment(
  models: PaymentsModels,
  paymentId: string | undefined,
  stripeId: string | undefined,
): Promise<PaymentDoc | null> {
  if (paymentId && Types.ObjectId.isValid(paymentId)) {
    const byId = await models.Payments.findById(paymentId).lean();
    if (byId) return byId;
  }
  return stripeId ? models.Payments.findOne({ stripeId }).lean() : null;
}
