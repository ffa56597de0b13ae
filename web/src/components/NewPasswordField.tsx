import { Field } from './Field';

/**
 * The new-password input of the change and reset forms: one name (`newPassword`, what both forms
 * read) and one hint, so the two never drift apart. `new-password` lets a password manager offer
 * a generated one.
 */
export function NewPasswordField({ error }: { error?: string | undefined }) {
  return (
    <Field
      label="New password"
      name="newPassword"
      type="password"
      autoComplete="new-password"
      required
      hint="At least 8 characters."
      error={error}
    />
  );
}
