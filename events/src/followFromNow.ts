import { type ConsumerMessages, DeliverPolicy } from '@nats-io/jetstream';
import type { EventsConnection } from './connectEvents';
import { subjectFor } from './streams';

/**
 * The events on `subject` (e.g. `tickets.>`) published from now on, for a read model kept in one
 * replica's memory: an ephemeral ordered consumer, so every replica sees every event and nothing
 * is left on the server when it stops. Start it before the read that fills the model, so no event
 * falls between the two. Close the returned messages to stop.
 */
export async function followFromNow(events: EventsConnection, subject: string): Promise<ConsumerMessages> {
  const consumer = await events.js.consumers.get(events.stream.name, {
    deliver_policy: DeliverPolicy.New,
    // One subject, as a string: a list needs nats-server 2.10.
    filter_subjects: subjectFor(events.stream, subject),
  });
  return consumer.consume();
}
