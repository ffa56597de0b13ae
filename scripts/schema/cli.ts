// `npm run schema:check` (see checkSchema.ts): prints the changes, exits 1 on an undeclared breaking one.
import { checkSchema, formatCheck } from './checkSchema';

try {
  const check = checkSchema();
  process.stdout.write(formatCheck(check));
  if (check.undeclared.length) process.exitCode = 1;
} catch (err) {
  process.stderr.write(`schema:check: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
