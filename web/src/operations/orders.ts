import { graphql } from '@/gql';

export const OrderFields = graphql(`
  fragment OrderFields on Order {
    id
    status
    version
    createdAt
    expiresAt
    cancelReason
    priceMoney {
      amount
      currencyCode
    }
    ticket {
      ...TicketFields
    }
    payment {
      id
      status
      amountMoney {
        amount
        currencyCode
      }
      stripeId
      stripeRefundId
    }
  }
`);

export const OrderQuery = graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderFields
    }
  }
`);

export const MyOrdersQuery = graphql(`
  query MyOrders {
    me {
      id
      orders {
        ...OrderFields
      }
    }
  }
`);

export const CreateOrderMutation = graphql(`
  mutation CreateOrder($ticketId: ID!) {
    createOrder(ticketId: $ticketId) {
      ...OrderFields
    }
  }
`);

export const CancelOrderMutation = graphql(`
  mutation CancelOrder($id: ID!) {
    cancelOrder(id: $id) {
      ...OrderFields
    }
  }
`);

export const PayOrderMutation = graphql(`
  mutation PayOrder($orderId: ID!, $paymentMethodId: String!) {
    payOrder(orderId: $orderId, paymentMethodId: $paymentMethodId) {
      id
      status
      amountMoney {
        amount
        currencyCode
      }
      stripeId
      stripeRefundId
      order {
        ...OrderFields
      }
    }
  }
`);

export const OrderChangedSubscription = graphql(`
  subscription OrderChanged($id: ID!) {
    orderChanged(id: $id) {
      ...OrderFields
    }
  }
`);

export const HoldQuery = graphql(`
  query Hold {
    orderHoldSeconds
  }
`);

export const MyOrdersOfTicketQuery = graphql(`
  query MyOrdersOfTicket {
    me {
      id
      orders(first: 20) {
        id
        status
        expiresAt
        ticket {
          id
        }
      }
    }
  }
`);
