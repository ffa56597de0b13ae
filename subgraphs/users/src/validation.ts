import { badUserInput, type FieldProblem } from '@ticketing/kit/graphql';

// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is not checked here.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Trimmed and lower-cased: the form stored and compared. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** Checks sign-up input; throws BAD_USER_INPUT naming every bad field. Returns the normalised email. */
export function validateCredentials(email: string, password: string): string {
  const normalized = normalizeEmail(email);
  const problems: FieldProblem[] = [];
  if (normalized.length > 254 || !EMAIL.test(normalized)) {
    problems.push({ field: 'email', message: 'must be a valid email address' });
  }
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    problems.push({ field: 'password', message: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` });
  }
  if (problems.length) throw badUserInput(problems);
  return normalized;
}
