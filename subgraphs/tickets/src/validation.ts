import {
  amountOfInput,
  type ExactAmount,
  type FieldProblem,
  FieldProblemCode,
  type MoneyInput,
} from '@ticketing/kit/graphql';
import {
  type AmountRange,
  CURRENCY_DECIMALS,
  type CurrencyCode,
  LEGACY_CURRENCY,
  toMinorUnits,
} from '@ticketing/kit/money';

export const TITLE_MAX = 200;
/** The highest price, in the currency's major unit. */
export const PRICE_MAX = 1_000_000;

/** The trimmed title, or a problem. */
export function checkTitle(title: string, problems: FieldProblem[]): string {
  const trimmed = title.trim();
  if (trimmed.length < 1 || trimmed.length > TITLE_MAX) {
    problems.push({ field: 'title', message: `must be 1 to ${TITLE_MAX} characters` });
  }
  return trimmed;
}

/** A price's bounds in minor units: one minor unit to PRICE_MAX of the major unit. */
export const priceRange = (currency: CurrencyCode): AmountRange => ({
  min: 1,
  max: PRICE_MAX * 10 ** CURRENCY_DECIMALS[currency],
});

/**
 * The deprecated Float price, in US dollars, as integer cents (0 with a problem). The float is read
 * as the decimal the client wrote, its shortest round-trip form (String(19.99) is "19.99"), and
 * that exactly: no float arithmetic, so 10.005 has 3 decimals however it rounds.
 */
export function checkPrice(price: number, problems: FieldProblem[]): number {
  if (!Number.isFinite(price) || price <= 0) {
    problems.push({ field: 'price', message: 'must be greater than 0', code: FieldProblemCode.OUT_OF_RANGE });
  } else if (price > PRICE_MAX) {
    problems.push({
      field: 'price',
      message: 'must be at most 1,000,000',
      code: FieldProblemCode.OUT_OF_RANGE,
    });
  } else {
    // In range, only a float under a millionth prints with an exponent ("1e-7"): too many decimals too.
    const exact = toMinorUnits(String(price), LEGACY_CURRENCY, priceRange(LEGACY_CURRENCY));
    if (exact.ok) return exact.minor;
    problems.push({
      field: 'price',
      message: 'must have at most 2 decimals',
      code: FieldProblemCode.TOO_MANY_DECIMALS,
    });
  }
  return 0;
}

/** Either form of a price an input may give: `priceMoney`, or the deprecated Float `price`. */
export interface PriceInput {
  price?: number | null;
  priceMoney?: MoneyInput | null;
}

/**
 * The price an input gives, in minor units with its currency; null when it gives none (a problem
 * then if `required`) or a wrong one (its problem added). Both forms at once are refused: they
 * could disagree.
 */
export function checkPriceInput(
  input: PriceInput,
  required: boolean,
  problems: FieldProblem[],
): ExactAmount | null {
  const float = input.price ?? null;
  const money = input.priceMoney ?? null;
  if (float !== null && money !== null) {
    problems.push({
      field: 'priceMoney',
      message: 'give the price once: priceMoney, or the deprecated price, not both',
      code: FieldProblemCode.CONFLICTING_FIELDS,
    });
    return null;
  }
  if (money !== null) return amountOfInput(money, 'priceMoney', priceRange(money.currencyCode), problems);
  if (float !== null) {
    const count = problems.length;
    const minor = checkPrice(float, problems);
    return problems.length === count ? { minor, currency: LEGACY_CURRENCY } : null;
  }
  if (required)
    problems.push({ field: 'priceMoney', message: 'is required', code: FieldProblemCode.REQUIRED });
  return null;
}
