import {
  type AmountRange,
  CURRENCY_DECIMALS,
  type CurrencyCode,
  type MinorUnits,
  toDecimalString,
  toMinorUnits,
} from '../money';
import type { FieldProblem } from './errors';
import type { MoneyInput } from './Money';

/** An amount as the services keep it: integer minor units and their currency. */
export interface ExactAmount {
  minor: number;
  currency: CurrencyCode;
}

/**
 * A MoneyInput read exactly as minor units, or null with its problem added to `problems` on
 * `<field>.amount`, coded (FieldProblemCode): INVALID_DECIMAL, TOO_MANY_DECIMALS for more decimals
 * than its currency has, OUT_OF_RANGE outside `range` (minor units, both ends included).
 */
export function amountOfInput(
  input: MoneyInput,
  field: string,
  range: AmountRange,
  problems: FieldProblem[],
): ExactAmount | null {
  const currency = input.currencyCode;
  const parsed = toMinorUnits(input.amount, currency, range);
  if (parsed.ok) return { minor: parsed.minor, currency };
  problems.push({
    field: `${field}.amount`,
    message: messageOf(parsed, currency, range),
    code: parsed.problem,
  });
  return null;
}

function messageOf(failure: MinorUnits & { ok: false }, currency: CurrencyCode, range: AmountRange): string {
  switch (failure.problem) {
    case 'INVALID_DECIMAL':
      return 'must be a decimal such as "49.99": digits, optionally a point and decimals';
    case 'TOO_MANY_DECIMALS':
      return `must have at most ${CURRENCY_DECIMALS[currency]} decimals in ${currency}`;
    case 'OUT_OF_RANGE':
      return failure.bound === 'min'
        ? `must be at least ${toDecimalString(range.min, currency)} ${currency}`
        : `must be at most ${toDecimalString(range.max, currency)} ${currency}`;
  }
}
