'use client';
import { useEffect, useRef, useState } from 'react';
import { loadStripe, type StripeCardElement, type StripeJs } from '@/lib/stripe';

/** Stripe Elements' card field; hands a payment method id to onPay. */
export function StripeCardForm({
  publishableKey,
  busy,
  onPay,
}: {
  publishableKey: string;
  busy: boolean;
  onPay: (paymentMethodId: string) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const stripe = useRef<{ js: StripeJs; card: StripeCardElement } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let card: StripeCardElement | null = null;
    loadStripe(publishableKey)
      .then((js) => {
        card = js.elements().create('card', { style: { base: { fontSize: '16px' } } });
        if (host.current) card.mount(host.current);
        stripe.current = { js, card };
      })
      .catch((err: Error) => setError(err.message));
    return () => card?.destroy();
  }, [publishableKey]);

  async function pay() {
    if (!stripe.current) return;
    setError(null);
    const { paymentMethod, error: failed } = await stripe.current.js.createPaymentMethod({
      type: 'card',
      card: stripe.current.card,
    });
    if (paymentMethod) onPay(paymentMethod.id);
    else setError(failed?.message ?? 'The card was not accepted.');
  }

  return (
    <div className="pay-form">
      <label className="label" htmlFor="card-element">
        Card
      </label>
      <div id="card-element" className="card-element" ref={host} />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="button button-primary button-block" onClick={pay} disabled={busy}>
        {busy ? 'Paying…' : 'Pay now'}
      </button>
    </div>
  );
}
