import type { Logger } from '@ticketing/kit';
import type { Request, Response } from 'express';
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

/**
 * Stripe's webhook: verifies the signature, then applies payment_intent.succeeded,
 * payment_intent.payment_failed and charge.refunded through the same ledger as the synchronous
 * path, so a redelivered or late event changes nothing twice. A failure answers 500: Stripe retries.
 */
export function stripeWebhook(deps: StripeWebhookDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    let event: Stripe.Event;
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      event = Stripe.webhooks.constructEvent(body, req.headers['stripe-signature'] ?? '', deps.secret);
    } catch (err) {
      deps.logger?.warn({ err }, 'stripe webhook refused: bad signature');
      res.status(400).json({ error: 'invalid signature' });
      return;
    }
    try {
      const handled = await handle(deps, event);
      res.json({ received: true, handled });
    } catch (err) {
      deps.logger?.error({ err, event: event.id, type: event.type }, 'stripe webhook failed');
      res.status(500).json({ error: 'not processed' });
    }
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
