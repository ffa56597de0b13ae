'use client';
import { type FormEvent, useState } from 'react';

/** Stripe's own test payment methods: they work with stripe-mock and with Stripe's test mode. */
const TEST_CARDS = [
  { id: 'pm_card_visa', label: 'Visa ending 4242', note: 'succeeds' },
  { id: 'pm_card_mastercard', label: 'Mastercard ending 4444', note: 'succeeds' },
  { id: 'pm_card_chargeDeclined', label: 'Card ending 0002', note: 'is declined' },
  {
    id: 'pm_card_chargeDeclinedInsufficientFunds',
    label: 'Card ending 9995',
    note: 'declined: insufficient funds',
  },
] as const;

/** Used when no Stripe publishable key is configured (local development with stripe-mock). */
export function TestCardForm({ busy, onPay }: { busy: boolean; onPay: (paymentMethodId: string) => void }) {
  const [choice, setChoice] = useState<string>(TEST_CARDS[0].id);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onPay(choice);
  };
  return (
    <form className="pay-form" onSubmit={submit}>
      <fieldset className="test-cards">
        <legend>
          <span className="tag tag-warning">Test mode</span> Choose a Stripe test card — no real money moves
        </legend>
        {TEST_CARDS.map((card) => (
          <label key={card.id} className="radio-card">
            <input
              type="radio"
              name="paymentMethod"
              value={card.id}
              checked={choice === card.id}
              onChange={() => setChoice(card.id)}
            />
            <span>
              <strong>{card.label}</strong> <span className="muted">— {card.note}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Paying…' : 'Pay now'}
      </button>
    </form>
  );
}
