import {
  ChargeFailed,
  ChargeRefunded,
  type EventOf,
  OrderCompleted,
  PASSWORD_RESET_SEAL_PURPOSE,
  PasswordResetRequested,
  RetryLater,
} from '@ticketing/events';
import { openText } from '@ticketing/kit/auth';
import { storedCurrency } from '@ticketing/kit/money';
import { type MailContent, passwordResetMail, paymentFailedMail, receiptMail, refundMail } from './mails';
import type { EmailModels, MailOrder } from './models';
import type { EmailSettings } from './settings';

export const mailedEvents = [OrderCompleted, ChargeFailed, ChargeRefunded, PasswordResetRequested] as const;
export type Mailed = EventOf<(typeof mailedEvents)[number]>;

/** A mail to send, or why none is (never the token or the message itself). */
export type MailDecision = { to: string; content: MailContent } | { skip: string };

type Settings = Pick<EmailSettings, 'WEB_URL' | 'INTERNAL_JWT_KEY'>;

/**
 * The mail an event asks for, from the worker's projections. What it needs and has not seen yet
 * (another service's event still on its way) is waited for: RetryLater.
 */
export async function mailFor(models: EmailModels, settings: Settings, event: Mailed): Promise<MailDecision> {
  const webUrl = settings.WEB_URL.replace(/\/+$/, '');
  switch (event.type) {
    case 'PasswordResetRequested': {
      const { email, sealedToken, expiresAt } = event.data;
      if (Date.parse(expiresAt) <= Date.now()) return { skip: 'the reset token has expired' };
      const token = openText(
        settings.INTERNAL_JWT_KEY,
        PASSWORD_RESET_SEAL_PURPOSE,
        event.aggregateId,
        sealedToken,
      );
      if (!token) return { skip: 'the reset token does not open with this INTERNAL_JWT_KEY' };
      const link = `${webUrl}/reset-password?token=${encodeURIComponent(token)}`;
      return { to: email, content: passwordResetMail({ link, expiresAt }) };
    }
    case 'OrderCompleted': {
      const order = await orderOf(models, event.aggregateId);
      const { to, title } = await buyerAndTitle(models, order);
      return {
        to,
        content: receiptMail({
          orderId: order._id,
          ticketTitle: title,
          priceCents: order.priceCents,
          // The price as the order made it, exactly: its minor units in its own currency.
          currency: storedCurrency(order.currency),
          paidAt: event.occurredAt,
          webUrl,
        }),
      };
    }
    case 'ChargeFailed': {
      const order = await orderOf(models, event.data.orderId);
      const { to, title } = await buyerAndTitle(models, order);
      const { reason, final } = event.data;
      return {
        to,
        content: paymentFailedMail({
          orderId: order._id,
          ticketTitle: title,
          reason,
          final,
          failedAt: event.occurredAt,
          webUrl,
        }),
      };
    }
    case 'ChargeRefunded': {
      const order = await orderOf(models, event.data.orderId);
      const { to, title } = await buyerAndTitle(models, order);
      return {
        to,
        content: refundMail({
          orderId: order._id,
          ticketTitle: title,
          amountCents: event.data.amountCents,
          currency: event.data.currency,
          refundedAt: event.occurredAt,
        }),
      };
    }
  }
}

async function orderOf(models: EmailModels, orderId: string): Promise<MailOrder> {
  const order = await models.Orders.findById(orderId).lean();
  if (!order) throw new RetryLater(`order ${orderId} not seen yet`);
  return order;
}

async function buyerAndTitle(models: EmailModels, order: MailOrder): Promise<{ to: string; title: string }> {
  const [buyer, ticket] = await Promise.all([
    models.Users.findById(order.buyerId).lean(),
    models.Tickets.findById(order.ticketId).lean(),
  ]);
  if (!buyer) throw new RetryLater(`buyer ${order.buyerId} not seen yet`);
  if (!ticket) throw new RetryLater(`ticket ${order.ticketId} not seen yet`);
  return { to: buyer.email, title: ticket.title };
}
