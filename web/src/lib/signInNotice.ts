/** Why a visitor was sent to sign in, as `?reason=` on /signin. */
export type SignInReason = 'banned' | 'ended' | 'signed-out-everywhere';

export interface SignInNotice {
  tone: 'error' | 'info';
  text: string;
}

/** Said wherever a banned account's session ended: on sign-in, and under the header elsewhere. */
export const BANNED_NOTICE: SignInNotice = {
  tone: 'error',
  text: 'You have been signed out: this account is banned. Contact support if you think this is a mistake.',
};

const NOTICES: Record<SignInReason, SignInNotice> = {
  banned: BANNED_NOTICE,
  ended: {
    tone: 'info',
    text: 'Your session has ended (signed out on all devices, or the password was changed). Please sign in again.',
  },
  'signed-out-everywhere': {
    tone: 'info',
    text: 'You have been signed out on all your devices, this one included.',
  },
};

/** The notice for a `reason` query parameter; nothing for an unknown one. */
export const signInNotice = (reason: string | undefined): SignInNotice | null =>
  reason && Object.hasOwn(NOTICES, reason) ? NOTICES[reason as SignInReason] : null;
