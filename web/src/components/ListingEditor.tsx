'use client';
import { useMutation } from '@apollo/client/react';
import Link from 'next/link';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { TicketFieldsFragment } from '@/gql/graphql';
import { describeError, fieldProblem, PRICE_NOT_A_NUMBER, type Problem, typedPrice } from '@/lib/errors';
import { formatMoney } from '@/lib/format';
import { useFocusProblem } from '@/lib/useFocusProblem';
import { UpdateTicketMutation, WithdrawTicketMutation } from '@/operations/tickets';
import { ErrorNotice } from './ErrorNotice';
import { Field } from './Field';
import { StatusBadge } from './StatusBadge';

const LOCKED_REASON = {
  RESERVED: 'A buyer is paying for this ticket right now, so it cannot be changed until the hold ends.',
  SOLD: 'This ticket has been sold; it can no longer be changed.',
  WITHDRAWN: 'You withdrew this listing; nobody can buy it, and it can no longer be changed.',
} as const;

/** One of my listings: editable while available, disabled with the reason otherwise. */
export function ListingEditor({
  ticket,
  onSaved,
}: {
  ticket: TicketFieldsFragment;
  onSaved: (t: TicketFieldsFragment) => void;
}) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  const [update, { loading }] = useMutation(UpdateTicketMutation);
  const [withdraw, withdrawing] = useMutation(WithdrawTicketMutation);
  const card = useRef<HTMLLIElement>(null);
  const result = useRef<HTMLParagraphElement>(null);
  useFocusProblem(problem, card);
  useEffect(() => {
    if (saved) result.current?.focus();
  }, [saved]);
  const locked = ticket.status === 'AVAILABLE' ? null : LOCKED_REASON[ticket.status];
  const fieldId = (name: string) => `${name}-${ticket.id}`;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    setSaved(false);
    try {
      const price = typedPrice(form.get('price'));
      if (price === null) return setProblem(fieldProblem('price', PRICE_NOT_A_NUMBER));
      const input = { title: String(form.get('title') ?? '').trim(), priceMoney: price };
      const { data } = await update({ variables: { id: ticket.id, input } });
      if (data) {
        onSaved(data.updateTicket);
        setSaved(true);
      }
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  async function onWithdraw() {
    if (!window.confirm(`Withdraw "${ticket.title}"? It leaves the listings and cannot be bought.`)) return;
    setProblem(null);
    setSaved(false);
    try {
      const { data } = await withdraw({ variables: { id: ticket.id } });
      if (data) onSaved(data.withdrawTicket);
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  const fields = problem?.fields ?? {};
  return (
    <li ref={card} className="card listing" data-ticket-id={ticket.id}>
      <div className="listing-head">
        <Link href={`/tickets/${ticket.id}`} className="listing-title">
          {ticket.title}
        </Link>
        <StatusBadge status={ticket.status} reservedUntil={ticket.reservedUntil} />
      </div>
      <form className="listing-form" onSubmit={onSubmit} noValidate aria-busy={loading}>
        <fieldset disabled={Boolean(locked) || loading}>
          <legend className="sr-only">Edit {ticket.title}</legend>
          <Field
            id={fieldId('title')}
            label="Event"
            name="title"
            defaultValue={ticket.title}
            required
            error={fields.title}
          />
          <Field
            id={fieldId('price')}
            label="Price (USD)"
            name="price"
            type="number"
            min="0"
            step="0.01"
            defaultValue={ticket.priceMoney.amount}
            required
            error={fields.price}
          />
          <div className="listing-actions">
            <button type="submit" className="button button-primary">
              {loading ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              className="button button-danger"
              onClick={onWithdraw}
              disabled={withdrawing.loading}
            >
              {withdrawing.loading ? 'Withdrawing…' : 'Withdraw'}
            </button>
          </div>
        </fieldset>
      </form>
      {locked ? (
        <p className="notice notice-info" data-testid="locked-reason">
          {locked}
        </p>
      ) : null}
      <ErrorNotice problem={problem && Object.keys(fields).length === 0 ? problem : null} />
      {saved ? (
        <p className="notice notice-success" role="status" ref={result} tabIndex={-1}>
          Saved · now {formatMoney(ticket.priceMoney)}
        </p>
      ) : null}
    </li>
  );
}
