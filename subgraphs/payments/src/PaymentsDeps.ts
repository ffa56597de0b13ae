import type { PaymentsModels } from './models';
import type { PayOrder } from './PayOrder';

/** What the resolvers need; built once by createPaymentsService. */
export interface PaymentsDeps {
  models: PaymentsModels;
  payOrder: PayOrder;
}
