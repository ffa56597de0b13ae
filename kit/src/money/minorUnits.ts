import { CURRENCY_DECIMALS, type CurrencyCode } from './currencies';

/** Why a decimal string is not an amount (field problem codes of the same names). */
export type AmountProblem = 'INVALID_DECIMAL' | 'TOO_MANY_DECIMALS' | 'OUT_OF_RANGE';

export type MinorUnits =
  | { ok: true; minor: number }
  | { ok: false; problem: Exclude<AmountProblem, 'OUT_OF_RANGE'> }
  /** `bound`: the end of the range it is past. */
  | { ok: false; problem: 'OUT_OF_RANGE'; bound: 'min' | 'max' };

/** Bounds in minor units, both included. */
export interface AmountRange {
  min: number;
  max: number;
}

// Digits, optionally a point and more digits: no sign, exponent, spaces or thousands separators.
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Up to this many digits a JS number holds an integer exactly (2^53 has 16). */
const MAX_DIGITS = 15;

/**
 * A decimal string in a currency's major unit ("49.99" USD) as an integer of its minor units
 * (4999), exactly: the digits are read as one integer, never through a float. Refuses anything
 * but plain digits with an optional point ("1e3", "-1", "", " 5", "1,000", ".5"), more decimals
 * than the currency has ("1.999" or "1.990" USD), and amounts outside `range`.
 */
export function toMinorUnits(amount: string, currency: CurrencyCode, range: AmountRange): MinorUnits {
  const match = DECIMAL.exec(amount);
  if (!match) return { ok: false, problem: 'INVALID_DECIMAL' };
  const whole = (match[1] ?? '').replace(/^0+/, '');
  const fraction = match[2] ?? '';
  const decimals = CURRENCY_DECIMALS[currency];
  if (fraction.length > decimals) return { ok: false, problem: 'TOO_MANY_DECIMALS' };
  const digits = whole + fraction.padEnd(decimals, '0');
  if (digits.length > MAX_DIGITS) return { ok: false, problem: 'OUT_OF_RANGE', bound: 'max' };
  const minor = Number(digits);
  if (minor < range.min) return { ok: false, problem: 'OUT_OF_RANGE', bound: 'min' };
  if (minor > range.max) return { ok: false, problem: 'OUT_OF_RANGE', bound: 'max' };
  return { ok: true, minor };
}

/**
 * Minor units as the decimal string of the currency's major unit, with all its decimals:
 * 4999 → "49.99", 5 → "0.05", 4900 → "49.00" (USD).
 */
export function toDecimalString(minor: number, currency: CurrencyCode): string {
  if (!Number.isSafeInteger(minor) || minor < 0)
    throw new RangeError(`not an amount in minor units: ${minor}`);
  const decimals = CURRENCY_DECIMALS[currency];
  if (decimals === 0) return String(minor);
  const digits = String(minor).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/**
 * The amount as a float of the major unit, only for the deprecated Float fields (`price`,
 * `amount`): the double nearest the exact decimal, read from its string (4999 → 49.99).
 */
export const toDeprecatedFloat = (minor: number, currency: CurrencyCode): number =>
  Number(toDecimalString(minor, currency));
