export type { ApplyOutcome, Projected } from './applyInOrder';
export { applyInOrder } from './applyInOrder';
export type { AnyEventDefinition } from './catalogue';
export {
  ActiveOrderStatus,
  CancelReason,
  ChargeAttempted,
  ChargeCreated,
  ChargeFailed,
  ChargeRefunded,
  catalogue,
  definitionOf,
  OrderCancelled,
  OrderCompleted,
  OrderCreated,
  OrderExpired,
  OrderPaymentUpdated,
  OrderStatus,
  PASSWORD_RESET_SEAL_PURPOSE,
  PasswordResetRequested,
  TicketCreated,
  TicketStatus,
  TicketUpdated,
  UserCreated,
  UserUpdated,
} from './catalogue';
export type { EventsConnection, EventsOptions } from './connectEvents';
export { connectEvents } from './connectEvents';
export type { ParkedEvent } from './DeadLetters';
export { DeadLetters } from './DeadLetters';
export type { CreateEventInput, DomainEvent, EventDefinition, EventOf } from './defineEvent';
export { defineEvent } from './defineEvent';
export type { ConsumerOptions, Delivery } from './EventConsumer';
export { EventConsumer } from './EventConsumer';
export { followFromNow } from './followFromNow';
export type { OutboxRelayOptions, OutboxSource } from './OutboxRelay';
export { OutboxRelay } from './OutboxRelay';
export type { ServiceStore, ServiceStoreOptions } from './openServiceStore';
export { openServiceStore } from './openServiceStore';
export type { VersionCheck } from './ordering';
export { checkVersion, RetryLater, retryDelayMs } from './ordering';
export type { OutboxEntry, WithOutbox } from './outbox';
export { announceOutboxCommit, OUTBOX_KEEP, outboxFields, outboxPlugin, withOutbox } from './outbox';
export type { PublishResult } from './Publisher';
export { Publisher } from './Publisher';
export type { StoreService, StoreServiceOptions } from './startStoreService';
export { startStoreService } from './startStoreService';
export type { StreamSettings } from './streams';
export { DEFAULT_STREAM, ensureStreams, readStreamSettings, streamSettingsSpec, subjectFor } from './streams';
export type { Decide, VersionedChange, VersionedDoc, VersionedWriterOptions } from './VersionedWriter';
export { VersionedWriter } from './VersionedWriter';
