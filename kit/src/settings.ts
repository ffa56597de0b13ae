/**
 * Typed settings, read once at start from the environment. Every problem is reported at once,
 * each naming its variable, and the service refuses to start:
 *
 *   const settings = readSettings({ PORT: int({ default: 4001 }), JWT_KEY: str({ devDefault: 'dev' }) });
 */

export interface Parser<T> {
  /** Turns the raw value (undefined when unset or empty) into T, or throws with the reason. */
  parse(raw: string | undefined, ctx: { production: boolean }): T;
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n  ${problems.join('\n  ')}`);
    this.name = 'SettingsError';
  }
}

type Parsed<S> = { readonly [K in keyof S]: S[K] extends Parser<infer T> ? T : never };

export function readSettings<S extends Record<string, Parser<unknown>>>(
  spec: S,
  source: NodeJS.ProcessEnv = process.env,
): Parsed<S> {
  const production = source.NODE_ENV === 'production';
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, parser] of Object.entries(spec)) {
    const raw = source[name];
    try {
      out[name] = parser.parse(raw === '' ? undefined : raw, { production });
    } catch (err) {
      problems.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length) throw new SettingsError(problems);
  return Object.freeze(out) as Parsed<S>;
}

interface Defaults<T> {
  /** Used when the variable is unset, in every environment. */
  default?: T;
  /** Used when unset outside production (NODE_ENV=production makes the variable required). */
  devDefault?: T;
}

function withDefault<T>(
  d: Defaults<T>,
  raw: string | undefined,
  production: boolean,
  convert: (s: string) => T,
): T {
  if (raw !== undefined) return convert(raw);
  if (d.default !== undefined) return d.default;
  if (!production && d.devDefault !== undefined) return d.devDefault;
  throw new Error(production && d.devDefault !== undefined ? 'is required in production' : 'is required');
}

export const str = (d: Defaults<string> = {}): Parser<string> => ({
  parse: (raw, { production }) => withDefault(d, raw, production, (s) => s),
});

export const optionalStr = (): Parser<string | undefined> => ({ parse: (raw) => raw });

export const int = (d: Defaults<number> & { min?: number; max?: number } = {}): Parser<number> => ({
  parse: (raw, { production }) =>
    withDefault(d, raw, production, (s) => {
      const n = Number(s);
      if (!Number.isInteger(n)) throw new Error(`must be an integer, got "${s}"`);
      if (d.min !== undefined && n < d.min) throw new Error(`must be at least ${d.min}, got ${n}`);
      if (d.max !== undefined && n > d.max) throw new Error(`must be at most ${d.max}, got ${n}`);
      return n;
    }),
});

export const bool = (d: Defaults<boolean> = {}): Parser<boolean> => ({
  parse: (raw, { production }) =>
    withDefault(d, raw, production, (s) => {
      if (/^(1|true|yes|on)$/i.test(s)) return true;
      if (/^(0|false|no|off)$/i.test(s)) return false;
      throw new Error(`must be true or false, got "${s}"`);
    }),
});

export const url = (d: Defaults<string> & { protocols?: string[] } = {}): Parser<string> => ({
  parse: (raw, { production }) =>
    withDefault(d, raw, production, (s) => {
      let parsed: URL;
      try {
        parsed = new URL(withFirstHostOnly(s));
      } catch {
        throw new Error(`must be a URL, got "${withoutCredentials(s)}"`);
      }
      if (d.protocols && !d.protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        throw new Error(`must use ${d.protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
      return s;
    }),
});

/**
 * MongoDB and NATS take several seed hosts in one URL (`mongodb://a:27017,b:27017/?replicaSet=rs`),
 * which WHATWG URL refuses: the first host stands in for the list when checking the shape.
 */
const withFirstHostOnly = (s: string) =>
  s.replace(/^([a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?)([^/,?#]+)(?:,[^/?#]+)+/i, '$1$2');

/** Settings errors are logged: a URL's user and password (`scheme://user:pass@host`) stay out. */
const withoutCredentials = (s: string) => s.replace(/\/\/[^/]*@/, '//***@');

export const oneOf = <T extends string>(values: readonly T[], d: Defaults<T> = {}): Parser<T> => ({
  parse: (raw, { production }) =>
    withDefault(d, raw, production, (s) => {
      if (!values.includes(s as T)) throw new Error(`must be one of ${values.join(', ')}, got "${s}"`);
      return s as T;
    }),
});

/** Comma-separated values, trimmed, empty entries dropped. */
export const list = (d: Defaults<string[]> = {}): Parser<string[]> => ({
  parse: (raw, { production }) =>
    withDefault(d, raw, production, (s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
});

/** Words of the repository's placeholder secrets (dev defaults, k8s/secrets.example.yaml). */
const PLACEHOLDER = /change[-_]?me|not[-_]for[-_]production|^dev[-_]/i;

/**
 * A key or secret: like `str({ devDefault })`, but with NODE_ENV=production the service refuses to
 * start with the development value, a placeholder ("change-me…", "…not-for-production") or one
 * shorter than `minLength` (default 1): a real deployment must bring its own.
 */
export const secret = (d: { devDefault: string; minLength?: number }): Parser<string> => ({
  parse: (raw, { production }) => {
    const value = withDefault({ devDefault: d.devDefault }, raw, production, (s) => s);
    if (!production) return value;
    if (value === d.devDefault || PLACEHOLDER.test(value))
      throw new Error('is a development or placeholder value: set a real secret in production');
    const min = d.minLength ?? 1;
    if (value.length < min) throw new Error(`must be at least ${min} characters in production`);
    return value;
  },
});
