import type { FieldProblem } from '@ticketing/kit/graphql';
import {
  checkPrice,
  checkPriceInput,
  checkTitle,
  PRICE_MAX,
  type PriceInput,
  priceRange,
  TITLE_MAX,
} from './validation';

// What a seller typing a title and a price in dollars gets back: the stored value, or the problem.
function title(input: string) {
  const problems: FieldProblem[] = [];
  return { value: checkTitle(input, problems), problems };
}
function price(input: number) {
  const problems: FieldProblem[] = [];
  return { cents: checkPrice(input, problems), problems };
}
function priceInput(input: PriceInput, required = true) {
  const problems: FieldProblem[] = [];
  return { price: checkPriceInput(input, required, problems), problems };
}
const problem = (field: string, message: string, code?: string) => [
  code ? { field, message, code } : { field, message },
];
const usd = (amount: string) => ({ amount, currencyCode: 'USD' as const });

describe('title', () => {
  test('given spaces around it, it is stored trimmed', () => {
    expect(title('  Jazz night  ')).toEqual({ value: 'Jazz night', problems: [] });
  });

  test.each([
    ['a single character', 'a'],
    [`exactly ${TITLE_MAX} characters`, 'x'.repeat(TITLE_MAX)],
    [`${TITLE_MAX} characters once trimmed`, ` ${'x'.repeat(TITLE_MAX)} `],
  ])('given %s, it is accepted', (_, input) => {
    expect(title(input).problems).toEqual([]);
  });

  test.each([
    ['empty', ''],
    ['only spaces', '   '],
    [`${TITLE_MAX + 1} characters`, 'x'.repeat(TITLE_MAX + 1)],
  ])('given %s, it is refused', (_, input) => {
    expect(title(input).problems).toEqual(problem('title', 'must be 1 to 200 characters'));
  });
});

describe('price', () => {
  test.each([
    [0.01, 1],
    [12.5, 1250],
    [19.99, 1999],
    [PRICE_MAX, 100_000_000],
    // Floats whose cents a multiplication gets wrong (1.15 * 100 is 114.99999999999999).
    [1.15, 115],
    [4.35, 435],
    [0.3, 30],
  ])('given %p dollars, %p cents are stored', (input, cents) => {
    expect(price(input)).toEqual({ cents, problems: [] });
  });

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('given %p, it must be greater than 0', (input) => {
    expect(price(input)).toEqual({
      cents: 0,
      problems: problem('price', 'must be greater than 0', 'OUT_OF_RANGE'),
    });
  });

  test('given more than the maximum, it is refused', () => {
    expect(price(PRICE_MAX + 0.01).problems).toEqual(
      problem('price', 'must be at most 1,000,000', 'OUT_OF_RANGE'),
    );
  });

  test.each([10.005, 0.001, 1e-7, 0.1 + 0.2])('given %p, a fraction of a cent, it is refused', (input) => {
    expect(price(input)).toEqual({
      cents: 0,
      problems: problem('price', 'must have at most 2 decimals', 'TOO_MANY_DECIMALS'),
    });
  });

  test('problems add to those found before', () => {
    const problems: FieldProblem[] = [{ field: 'title', message: 'earlier' }];
    checkPrice(-1, problems);
    expect(problems.map((p) => p.field)).toEqual(['title', 'price']);
  });
});

describe('the price of an input: priceMoney, or the deprecated Float price', () => {
  test('priceMoney is read exactly, in its currency', () => {
    expect(priceInput({ priceMoney: usd('49.99') })).toEqual({
      price: { minor: 4999, currency: 'USD' },
      problems: [],
    });
    expect(priceInput({ priceMoney: usd('1000000') }).price).toEqual({ minor: 100_000_000, currency: 'USD' });
    expect(priceInput({ priceMoney: usd('0.01') }).price).toEqual({ minor: 1, currency: 'USD' });
  });

  test('the deprecated Float is US dollars, and gives the same cents as its decimal', () => {
    expect(priceInput({ price: 49.99 })).toEqual({ price: { minor: 4999, currency: 'USD' }, problems: [] });
    expect(priceInput({ price: 49.99, priceMoney: null })).toEqual(priceInput({ priceMoney: usd('49.99') }));
  });

  test.each([
    ['1.999', 'must have at most 2 decimals in USD', 'TOO_MANY_DECIMALS'],
    ['-1', 'must be a decimal such as "49.99": digits, optionally a point and decimals', 'INVALID_DECIMAL'],
    ['1e3', 'must be a decimal such as "49.99": digits, optionally a point and decimals', 'INVALID_DECIMAL'],
    ['0', 'must be at least 0.01 USD', 'OUT_OF_RANGE'],
    ['1000000.01', 'must be at most 1000000.00 USD', 'OUT_OF_RANGE'],
    ['9'.repeat(30), 'must be at most 1000000.00 USD', 'OUT_OF_RANGE'],
  ])('priceMoney "%s" is refused on priceMoney.amount: %s (%s)', (amount, message, code) => {
    expect(priceInput({ priceMoney: usd(amount) })).toEqual({
      price: null,
      problems: problem('priceMoney.amount', message, code),
    });
  });

  test('a wrong deprecated Float gives its own problem, on price', () => {
    expect(priceInput({ price: 0.001 })).toEqual({
      price: null,
      problems: problem('price', 'must have at most 2 decimals', 'TOO_MANY_DECIMALS'),
    });
  });

  test('both forms at once are refused, even when they agree', () => {
    expect(priceInput({ price: 49.99, priceMoney: usd('49.99') })).toEqual({
      price: null,
      problems: problem(
        'priceMoney',
        'give the price once: priceMoney, or the deprecated price, not both',
        'CONFLICTING_FIELDS',
      ),
    });
  });

  test('neither: REQUIRED where a price must be given (createTicket), nothing to change otherwise', () => {
    for (const input of [{}, { price: null, priceMoney: null }]) {
      expect(priceInput(input)).toEqual({
        price: null,
        problems: problem('priceMoney', 'is required', 'REQUIRED'),
      });
      expect(priceInput(input, false)).toEqual({ price: null, problems: [] });
    }
  });

  test('problems add to those found before', () => {
    const problems: FieldProblem[] = [{ field: 'title', message: 'earlier' }];
    checkPriceInput({ priceMoney: usd('x') }, true, problems);
    checkPriceInput({ price: -1 }, true, problems);
    expect(problems.map((p) => p.field)).toEqual(['title', 'priceMoney.amount', 'price']);
  });

  test('a price ranges from one minor unit to 1,000,000 of the currency', () => {
    expect(priceRange('USD')).toEqual({ min: 1, max: 100_000_000 });
  });
});
