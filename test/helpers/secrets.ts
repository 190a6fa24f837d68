/**
 * Every credential the test suite configures anywhere: none may ever appear in what the gateway
 * says, whole, in another letter case or in part (the secrets scan looks for all three). They look
 * like real ones: random, so that a part of one is never a part of an ordinary id.
 */
export const SECRET = '6b3c1d2e-9f4a-4c71-b8e2-5ec2e7a1d901';
export const SCALR_TOKEN = 'scalr-tok-Qm8vJ2xR4pL9wT6nB3kY7dH5';
/** Gateway tokens (their hashes are configured) and passthrough credentials used by the auth tests. */
export const GATEWAY_TOKEN_ALL = 'bg_all_5ec2e7a1b2c3d4e5f60718293a4b5c6d';
export const GATEWAY_TOKEN_ACME = 'bg_acme_9d8c7b6a5f4e3d2c1b0a99887766554433';
export const GATEWAY_TOKEN_GLOBEX = 'bg_globex_Xq7Lm2Rt9Vw4Kp8Zs3Nd6Hb1Jf5Gc0Ya';
export const PASSTHROUGH_KEY = '7c4d2e3f-1a2b-4c5d-9e8f-5ec2e7b2c802';
export const PASSTHROUGH_SCALR = 'scalr-pass-Zt5kW8qN2vB7xJ4mR9cF6hL3';
/** The gateway's signing key in tests. */
export const SIGNING_KEY = 'sign-key-Hq3nV8tB5xM2kR7wZ4cJ9pL6dF1gS0yA';

export const SECRETS = [SECRET, SCALR_TOKEN, GATEWAY_TOKEN_ALL, GATEWAY_TOKEN_ACME, GATEWAY_TOKEN_GLOBEX, PASSTHROUGH_KEY, PASSTHROUGH_SCALR, SIGNING_KEY];
