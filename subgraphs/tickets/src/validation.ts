import type { FieldProblem } from '@ticketing/kit/graphql';

export const TITLE_MAX = 200;
export const PRICE_MAX = 1_000_000;

/** The trimmed title, or a problem. */
export function checkTitle(title: string, problems: FieldProblem[]): string {
  const trimmed = title.trim();
  if (trimmed.length < 1 || trimmed.length > TITLE_MAX) {
    problems.push({ field: 'title', message: `must be 1 to ${TITLE_MAX} characters` });
  }
  return trimmed;
}

/** The price in integer cents, or a problem. */
export function checkPrice(price: number, problems: FieldProblem[]): number {
  if (!Number.isFinite(price) || price <= 0) {
    problems.push({ field: 'price', message: 'must be greater than 0' });
  } else if (price > PRICE_MAX) {
    problems.push({ field: 'price', message: 'must be at most 1,000,000' });
  } else if (Number(price.toFixed(2)) !== price) {
    problems.push({ field: 'price', message: 'must have at most 2 decimals' });
  }
  return Math.round(price * 100);
}
