/**
 * The currencies the marketplace sells in, each with its number of decimals (ISO 4217 minor-unit
 * digits). US dollars only: the marketplace charges in USD through Stripe. Adding a currency is one
 * entry here (its digits as ISO 4217 and Stripe give them) and a new CurrencyCode value in the API.
 */
export type CurrencyCode = 'USD';

export const CURRENCY_DECIMALS: Readonly<Record<CurrencyCode, number>> = { USD: 2 };

/** Every supported code, for enums (zod, GraphQL). */
export const CURRENCY_CODES = Object.keys(CURRENCY_DECIMALS) as [CurrencyCode, ...CurrencyCode[]];

/**
 * The currency of amounts stored or announced before amounts carried one (every price was in US
 * dollars then): a document or event without a currency is read in it.
 */
export const LEGACY_CURRENCY: CurrencyCode = 'USD';

export const isCurrencyCode = (value: unknown): value is CurrencyCode =>
  typeof value === 'string' && Object.hasOwn(CURRENCY_DECIMALS, value);

/**
 * The currency a stored amount is in: absent on documents written before amounts carried one
 * (LEGACY_CURRENCY), lower case on payments written for Stripe ("usd"). Throws for a code the
 * marketplace does not sell in: that document cannot be shown exactly.
 */
export function storedCurrency(stored: string | null | undefined): CurrencyCode {
  if (stored === undefined || stored === null) return LEGACY_CURRENCY;
  const code = stored.toUpperCase();
  if (!isCurrencyCode(code)) throw new Error(`unsupported stored currency "${stored}"`);
  return code;
}
