// Exact money, shared by every service: amounts are integers of a currency's minor units (cents)
// inside, decimal strings in its major unit ("49.99") at the API. No float ever holds money.
export type { CurrencyCode } from './currencies';
export {
  CURRENCY_CODES,
  CURRENCY_DECIMALS,
  isCurrencyCode,
  LEGACY_CURRENCY,
  storedCurrency,
} from './currencies';
export type { AmountProblem, AmountRange, MinorUnits } from './minorUnits';
export { toDecimalString, toDeprecatedFloat, toMinorUnits } from './minorUnits';
