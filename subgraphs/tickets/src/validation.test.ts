import type { FieldProblem } from '@ticketing/kit/graphql';
import { checkPrice, checkTitle, PRICE_MAX, TITLE_MAX } from './validation';

// What a seller typing a title and a price in dollars gets back: the stored value, or the problem.
function title(input: string) {
  const problems: FieldProblem[] = [];
  return { value: checkTitle(input, problems), problems };
}
function price(input: number) {
  const problems: FieldProblem[] = [];
  return { cents: checkPrice(input, problems), problems };
}
const problem = (field: string, message: string) => [{ field, message }];

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
  ])('given %p dollars, %p cents are stored', (input, cents) => {
    expect(price(input)).toEqual({ cents, problems: [] });
  });

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('given %p, it must be greater than 0', (input) => {
    expect(price(input).problems).toEqual(problem('price', 'must be greater than 0'));
  });

  test('given more than the maximum, it is refused', () => {
    expect(price(PRICE_MAX + 0.01).problems).toEqual(problem('price', 'must be at most 1,000,000'));
  });

  test('given a fraction of a cent, it is refused', () => {
    expect(price(10.005).problems).toEqual(problem('price', 'must have at most 2 decimals'));
  });

  test('problems add to those found before', () => {
    const problems: FieldProblem[] = [{ field: 'title', message: 'earlier' }];
    checkPrice(-1, problems);
    expect(problems.map((p) => p.field)).toEqual(['title', 'price']);
  });
});
