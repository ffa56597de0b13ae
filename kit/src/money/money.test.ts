import {
  CURRENCY_CODES,
  isCurrencyCode,
  storedCurrency,
  toDecimalString,
  toDeprecatedFloat,
  toMinorUnits,
} from './index';

// What a client sending an amount as a decimal string gets: its exact minor units, or why not.
const any = { min: 0, max: Number.MAX_SAFE_INTEGER };
const usd = (amount: string, range = any) => toMinorUnits(amount, 'USD', range);

describe('toMinorUnits', () => {
  test.each([
    ['49.99', 4999],
    ['0.01', 1],
    ['0.1', 10],
    ['12.5', 1250],
    ['19', 1900],
    ['19.00', 1900],
    ['0', 0],
    ['007.50', 750],
    // Where a float goes wrong (0.1 + 0.2, 1.005 * 100, 2^53 + 1 cents): the digits stay exact.
    ['0.30', 30],
    ['1.15', 115],
    ['4.35', 435],
    ['1000000.00', 100_000_000],
    ['9999999999999.99', 999_999_999_999_999],
  ])('"%s" USD is %p cents', (amount, minor) => {
    expect(usd(amount)).toEqual({ ok: true, minor });
  });

  test.each(['1.999', '1.990', '0.001', '10.005'])('"%s" has more decimals than USD: refused', (amount) => {
    expect(usd(amount)).toEqual({ ok: false, problem: 'TOO_MANY_DECIMALS' });
  });

  test.each([
    '-1',
    '+1',
    '1e3',
    '1E3',
    '',
    ' 5',
    '5 ',
    '1,000',
    '1.',
    '.5',
    '0x10',
    'NaN',
    'Infinity',
    '1.2.3',
    '٣',
    '12\n',
  ])('%j is not a plain decimal: refused', (amount) => {
    expect(usd(amount)).toEqual({ ok: false, problem: 'INVALID_DECIMAL' });
  });

  test('a huge amount is out of range before it could lose a digit', () => {
    const tooMuch = { ok: false, problem: 'OUT_OF_RANGE', bound: 'max' };
    expect(usd('90071992547409.93')).toEqual(tooMuch);
    expect(usd('1'.repeat(400))).toEqual(tooMuch);
    expect(usd(`1${'0'.repeat(30)}.00`)).toEqual(tooMuch);
  });

  test('leading zeros do not count toward the digits', () => {
    expect(usd(`${'0'.repeat(40)}1.00`)).toEqual({ ok: true, minor: 100 });
  });

  test('the range is in minor units, both ends included', () => {
    const price = { min: 1, max: 100_000_000 };
    expect(usd('0.01', price)).toEqual({ ok: true, minor: 1 });
    expect(usd('1000000', price)).toEqual({ ok: true, minor: 100_000_000 });
    expect(usd('0.00', price)).toEqual({ ok: false, problem: 'OUT_OF_RANGE', bound: 'min' });
    expect(usd('1000000.01', price)).toEqual({ ok: false, problem: 'OUT_OF_RANGE', bound: 'max' });
  });
});

describe('toDecimalString', () => {
  test.each([
    [4999, '49.99'],
    [5, '0.05'],
    [50, '0.50'],
    [0, '0.00'],
    [4900, '49.00'],
    [100_000_000, '1000000.00'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('%p cents is "%s" USD', (minor, amount) => {
    expect(toDecimalString(minor, 'USD')).toBe(amount);
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 53])('%p is no amount: thrown', (minor) => {
    expect(() => toDecimalString(minor, 'USD')).toThrow(RangeError);
  });

  test('round trip: every decimal it writes reads back to the same minor units', () => {
    for (const minor of [0, 1, 9, 10, 99, 100, 101, 4999, 123_456_789]) {
      expect(usd(toDecimalString(minor, 'USD'))).toEqual({ ok: true, minor });
    }
  });
});

describe('toDeprecatedFloat', () => {
  test('the deprecated Float is the double nearest the exact decimal, as a client parsing "49.99" gets', () => {
    for (const minor of [1, 10, 115, 435, 1999, 4999, 100_000_000, 999_999_999_999_999]) {
      const float = toDeprecatedFloat(minor, 'USD');
      expect(float).toBe(Number(toDecimalString(minor, 'USD')));
      expect(String(float)).toBe(String(Number(toDecimalString(minor, 'USD'))));
    }
    expect(toDeprecatedFloat(4999, 'USD')).toBe(49.99);
    expect(toDeprecatedFloat(1, 'USD')).toBe(0.01);
  });
});

describe('currencies', () => {
  test('the marketplace sells in US dollars only', () => {
    expect(CURRENCY_CODES).toEqual(['USD']);
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('EUR')).toBe(false);
    expect(isCurrencyCode('toString')).toBe(false);
  });

  test('a stored amount without a currency was in US dollars; a payment’s "usd" is USD', () => {
    expect(storedCurrency(undefined)).toBe('USD');
    expect(storedCurrency(null)).toBe('USD');
    expect(storedCurrency('usd')).toBe('USD');
    expect(storedCurrency('USD')).toBe('USD');
    expect(() => storedCurrency('eur')).toThrow('unsupported stored currency "eur"');
  });
});
