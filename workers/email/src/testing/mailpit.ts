// Reads what Mailpit received, through its HTTP API (MAILPIT_URL), for tests.
import { eventually } from '@ticketing/kit/testing';

export interface DeliveredMail {
  ID: string;
  MessageID: string;
  Subject: string;
  From: { Address: string; Name: string };
  To: Array<{ Address: string }>;
  Text: string;
  HTML: string;
}

export const mailpitUrl = () => process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025';

/** Every message Mailpit holds for `to`, newest first. */
export async function mailTo(to: string, base = mailpitUrl()): Promise<DeliveredMail[]> {
  const res = await fetch(`${base}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`);
  if (!res.ok) throw new Error(`Mailpit search answered ${res.status}`);
  const found = (await res.json()) as { messages: Array<{ ID: string }> };
  return Promise.all(
    found.messages.map(async (m) => {
      const one = await fetch(`${base}/api/v1/message/${m.ID}`);
      return (await one.json()) as DeliveredMail;
    }),
  );
}

/** Waits until Mailpit holds at least `count` messages for `to` whose subject matches, and returns them. */
export function waitForMail(to: string, subject: RegExp, count = 1, ms = 20_000): Promise<DeliveredMail[]> {
  return eventually(async () => {
    const mails = (await mailTo(to)).filter((m) => subject.test(m.Subject));
    return mails.length >= count ? mails : null;
  }, ms);
}
