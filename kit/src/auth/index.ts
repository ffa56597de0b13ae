export type { Identity, RequestIdentity } from './identityToken';
export { DEV_INTERNAL_JWT_KEY, IDENTITY_HEADER, signIdentity, verifyIdentity } from './identityToken';
export type { ApiKeyRecord, SessionClaims } from './sessionProtocol';
export { SessionProtocol } from './sessionProtocol';
