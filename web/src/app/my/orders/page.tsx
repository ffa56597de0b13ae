import type { Metadata } from 'next';
import Link from 'next/link';
import { ErrorNotice } from '@/components/ErrorNotice';
import { orderPhase, PHASE_LABEL } from '@/components/OrderStatusView';
import { formatDate, formatMoney } from '@/lib/format';
import { requireMe } from '@/lib/requireMe';
import { serverQuery } from '@/lib/serverQuery';
import { MyOrdersQuery } from '@/operations/orders';

export const metadata: Metadata = { title: 'My orders' };

export default async function MyOrdersPage() {
  await requireMe('/my/orders');
  const { data, problem } = await serverQuery(MyOrdersQuery);
  const orders = data?.me?.orders ?? [];
  const now = Date.now();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My orders</h1>
          <p className="muted">Every ticket you have bought or tried to buy.</p>
        </div>
      </div>
      <ErrorNotice problem={problem} title="Your orders could not be loaded." retry />
      {data && orders.length === 0 ? (
        <div className="empty">
          <h2>No orders yet</h2>
          <p className="muted">When you buy a ticket, it shows up here.</p>
          <Link className="button button-primary" href="/?available=1">
            Find a ticket
          </Link>
        </div>
      ) : null}
      {orders.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Status</th>
                <th scope="col">Amount</th>
                <th scope="col">Payment</th>
                <th scope="col">Hold until</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => {
                const phase = orderPhase(o, now);
                return (
                  <tr key={o.id} data-order-id={o.id}>
                    <td>
                      <Link href={`/orders/${o.id}`}>{o.ticket.title}</Link>
                    </td>
                    <td>
                      <span className={`badge badge-order-${phase}`}>{PHASE_LABEL[phase]}</span>
                    </td>
                    <td>{formatMoney(o.payment?.amountMoney ?? o.priceMoney)}</td>
                    <td>
                      {o.payment ? (
                        <>
                          <span className="mono small">{o.payment.stripeId ?? '—'}</span> ·{' '}
                          {o.payment.status.toLowerCase()}
                          {o.payment.stripeRefundId ? (
                            <div className="small">
                              Refunded: <span className="mono">{o.payment.stripeRefundId}</span>
                            </div>
                          ) : null}
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="small">{formatDate(o.expiresAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
