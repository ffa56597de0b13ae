import { graphql } from '@/gql';

export const TicketFields = graphql(`
  fragment TicketFields on Ticket {
    id
    title
    priceMoney {
      amount
      currencyCode
    }
    status
    reservedUntil
    version
    seller {
      id
    }
  }
`);

export const TicketsQuery = graphql(`
  query Tickets($first: Int, $after: String, $status: TicketStatus) {
    tickets(first: $first, after: $after, status: $status) {
      edges {
        cursor
        node {
          ...TicketFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const TicketQuery = graphql(`
  query Ticket($id: ID!) {
    ticket(id: $id) {
      ...TicketFields
    }
  }
`);

export const MyTicketsQuery = graphql(`
  query MyTickets {
    me {
      id
      tickets {
        ...TicketFields
      }
    }
  }
`);

export const CreateTicketMutation = graphql(`
  mutation CreateTicket($input: CreateTicketInput!) {
    createTicket(input: $input) {
      ...TicketFields
    }
  }
`);

export const UpdateTicketMutation = graphql(`
  mutation UpdateTicket($id: ID!, $input: UpdateTicketInput!) {
    updateTicket(id: $id, input: $input) {
      ...TicketFields
    }
  }
`);

export const TicketsChangedSubscription = graphql(`
  subscription TicketsChanged {
    ticketsChanged {
      ...TicketFields
    }
  }
`);

export const TicketChangedSubscription = graphql(`
  subscription TicketChanged($id: ID!) {
    ticketChanged(id: $id) {
      ...TicketFields
    }
  }
`);

export const WithdrawTicketMutation = graphql(`
  mutation WithdrawTicket($id: ID!) {
    withdrawTicket(id: $id) {
      ...TicketFields
    }
  }
`);
