'use client';
import { useMutation } from '@apollo/client/react';
import { useRouter } from 'next/navigation';
import { type FormEvent, useRef, useState } from 'react';
import { describeError, fieldProblem, PRICE_NOT_A_NUMBER, type Problem, typedPrice } from '@/lib/errors';
import { useFocusProblem } from '@/lib/useFocusProblem';
import { CreateTicketMutation } from '@/operations/tickets';
import { ErrorNotice } from './ErrorNotice';
import { Field } from './Field';

/** Lists a ticket; goes to its page once created. */
export function SellForm() {
  const router = useRouter();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [createTicket, { loading }] = useMutation(CreateTicketMutation);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusProblem(problem, formRef);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(null);
    try {
      const price = typedPrice(form.get('price'));
      if (price === null) return setProblem(fieldProblem('price', PRICE_NOT_A_NUMBER));
      const input = { title: String(form.get('title') ?? '').trim(), priceMoney: price };
      const { data } = await createTicket({ variables: { input } });
      if (data) router.push(`/tickets/${data.createTicket.id}`);
    } catch (err) {
      setProblem(describeError(err));
    }
  }

  const fields = problem?.fields ?? {};
  return (
    <form ref={formRef} className="card form narrow" onSubmit={onSubmit} noValidate aria-busy={loading}>
      <h1>Sell a ticket</h1>
      <p className="muted">
        Buyers see it at once. You can change the title or price while nobody is buying it.
      </p>
      <ErrorNotice problem={problem && Object.keys(fields).length === 0 ? problem : null} />
      <Field
        label="Event"
        name="title"
        required
        maxLength={200}
        placeholder="e.g. Arctic Monkeys, Row F"
        error={fields.title}
      />
      <Field
        label="Price (USD)"
        name="price"
        type="number"
        inputMode="decimal"
        min="0"
        step="0.01"
        required
        error={fields.price}
      />
      <button type="submit" className="button button-primary button-block" disabled={loading}>
        {loading ? 'Listing…' : 'List ticket'}
      </button>
    </form>
  );
}
