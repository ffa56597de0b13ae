export type { Identity, RequestIdentity, Scope } from './identityToken';
export {
  API_KEY_SCOPES,
  DEV_INTERNAL_JWT_KEY,
  hasScope,
  IDENTITY_HEADER,
  readIdentity,
  signIdentity,
  verifyIdentity,
} from './identityToken';
export { openText, sealText } from './sealedText';
export type { ApiKeyRecord, SessionClaims } from './sessionProtocol';
export { SessionProtocol } from './sessionProtocol';
