import 'reflect-metadata';
import { Directive, Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { CURRENCY_CODES, type CurrencyCode, toDecimalString } from '../money';

/** The GraphQL enum of kit/money's currencies (the one list): `{ USD: 'USD' }`. */
export const CurrencyCodeEnum = Object.fromEntries(CURRENCY_CODES.map((code) => [code, code])) as {
  [C in CurrencyCode]: C;
};
registerEnumType(CurrencyCodeEnum, {
  name: 'CurrencyCode',
  description:
    'An ISO 4217 currency code, among those the marketplace sells in: USD only today. More may be added: treat an unknown one as a currency you cannot show.',
});

const AMOUNT_DESCRIPTION =
  'A decimal in the currency\'s major unit, with exactly its number of decimals: "49.99" for USD. Exact: read it as a decimal, never as a float.';

/**
 * An exact amount in a currency, as Shopify's MoneyV2. A value type every subgraph with a price
 * shares (one definition in the supergraph); made from integer minor units by `toMoney`.
 */
@ObjectType({ description: 'An exact amount of money in a currency.' })
@Directive('@shareable')
export class Money {
  @Field({ description: AMOUNT_DESCRIPTION })
  amount!: string;

  @Field(() => CurrencyCodeEnum)
  currencyCode!: CurrencyCode;
}

@InputType({ description: 'An exact amount of money in a currency.' })
export class MoneyInput {
  @Field({
    description:
      'A decimal in the currency\'s major unit: digits, optionally a point and at most as many decimals as the currency has ("49.99", "20" or "20.5" for USD). No sign, exponent, spaces or separators.',
  })
  amount!: string;

  @Field(() => CurrencyCodeEnum)
  currencyCode!: CurrencyCode;
}

/** The API's Money for an amount in minor units. */
export const toMoney = (minor: number, currency: CurrencyCode): Money =>
  Object.assign(new Money(), { amount: toDecimalString(minor, currency), currencyCode: currency });
