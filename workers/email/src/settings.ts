import { int, readSettings, secret, str, url } from '@ticketing/kit';
import { DEV_INTERNAL_JWT_KEY } from '@ticketing/kit/auth';

export const emailSettingsSpec = {
  MONGO_URI: url({ default: 'mongodb://127.0.0.1:27017', protocols: ['mongodb', 'mongodb+srv'] }),
  NATS_URL: url({ default: 'nats://127.0.0.1:4222', protocols: ['nats', 'tls'] }),
  /** Where mail is sent (nodemailer's URL form, credentials included); locally Mailpit. */
  SMTP_URL: url({ default: 'smtp://127.0.0.1:1025', protocols: ['smtp', 'smtps'] }),
  MAIL_FROM: str({ default: 'Ticketing <no-reply@ticketing.dev>' }),
  /** The web app, for the links in mail (the reset form is `<WEB_URL>/reset-password?token=…`). */
  WEB_URL: str({ default: 'http://localhost:3000' }),
  /** Opens the reset token users seals in PasswordResetRequested (the key users holds too). */
  INTERNAL_JWT_KEY: secret({ devDefault: DEV_INTERNAL_JWT_KEY, minLength: 32 }),
  /**
   * An event older than this sends no mail (its projection still applies): a worker started on an
   * old stream, or back after a long outage, does not mail news nobody waits for any more.
   */
  MAIL_MAX_EVENT_AGE_SECONDS: int({ default: 24 * 3600, min: 60 }),
};

export type EmailSettings = ReturnType<typeof readEmailSettings>;

export const readEmailSettings = (env: NodeJS.ProcessEnv = process.env) =>
  readSettings(emailSettingsSpec, env);
