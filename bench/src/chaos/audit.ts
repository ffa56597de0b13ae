import mongoose, { type Connection } from 'mongoose';

/** The marketplace's invariants, read from the services' own databases once the run has settled. */
export interface AuditResult {
  /** Tickets with more than one completed order. */
  soldTwice: number;
  /** Orders still CREATED or AWAITING_PAYMENT well after their lock ended. */
  stuckOrders: number;
  /** Tickets RESERVED with no active order holding them. */
  strandedReserved: number;
  /** Changes published by one service and never applied by the one that follows them. */
  eventsLost: { ticketCopiesBehind: number; paymentOrdersBehind: number };
}

const ACTIVE = ['CREATED', 'AWAITING_PAYMENT'];

interface Versioned {
  _id: unknown;
  version: number;
  status?: string;
}

export async function audit(mongoUri: string, graceMs: number): Promise<AuditResult> {
  const open = (dbName: string): Promise<Connection> =>
    mongoose.createConnection(mongoUri, { dbName, serverSelectionTimeoutMS: 10_000 }).asPromise();
  const [tickets, orders, payments] = await Promise.all([open('tickets'), open('orders'), open('payments')]);
  try {
    const all = <T>(db: Connection, name: string, projection: Record<string, 1>) =>
      db.collection(name).find({}, { projection }).toArray() as unknown as Promise<T[]>;
    const ticketDocs = await all<Versioned>(tickets, 'tickets', { version: 1, status: 1 });
    const orderDocs = await all<Versioned & { ticketId: string; expiresAt: Date }>(orders, 'orders', {
      version: 1,
      status: 1,
      ticketId: 1,
      expiresAt: 1,
    });
    const copies = new Map(
      (await all<Versioned>(orders, 'ticket_copies', { version: 1 })).map((c) => [String(c._id), c]),
    );
    const projected = new Map(
      (await all<Versioned>(payments, 'orders', { version: 1, status: 1 })).map((o) => [String(o._id), o]),
    );

    const completed = new Map<string, number>();
    for (const o of orderDocs) {
      if (o.status === 'COMPLETE') completed.set(o.ticketId, (completed.get(o.ticketId) ?? 0) + 1);
    }
    const activeTickets = new Set(
      orderDocs.filter((o) => ACTIVE.includes(o.status ?? '')).map((o) => o.ticketId),
    );
    const cutoff = Date.now() - graceMs;
    return {
      soldTwice: [...completed.values()].filter((n) => n > 1).length,
      stuckOrders: orderDocs.filter(
        (o) => ACTIVE.includes(o.status ?? '') && new Date(o.expiresAt).getTime() < cutoff,
      ).length,
      strandedReserved: ticketDocs.filter((t) => t.status === 'RESERVED' && !activeTickets.has(String(t._id)))
        .length,
      eventsLost: {
        ticketCopiesBehind: ticketDocs.filter((t) => (copies.get(String(t._id))?.version ?? 0) < t.version)
          .length,
        // Payments follows created, cancelled and completed (not the payment attempt in between).
        paymentOrdersBehind: orderDocs.filter((o) => {
          if (ACTIVE.includes(o.status ?? '')) return false;
          return projected.get(String(o._id))?.status !== o.status;
        }).length,
      },
    };
  } finally {
    await Promise.all([tickets.close(), orders.close(), payments.close()]);
  }
}
