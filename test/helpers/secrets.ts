/** Every credential the test suite configures anywhere: none may ever appear in what the gateway says. */
export const SECRET = '6b3c1d2e-0000-4000-8000-5ec2e7000001';
export const SCALR_TOKEN = 'scalr-token-5ec2e7-0000000000000001';
/** Gateway tokens (their hashes are configured) and passthrough credentials used by the auth tests. */
export const GATEWAY_TOKEN_ALL = 'bg_all_5ec2e7a1b2c3d4e5f60718293a4b5c6d';
export const GATEWAY_TOKEN_ACME = 'bg_acme_5ec2e7f6e5d4c3b2a1908172635445';
export const PASSTHROUGH_KEY = '7c4d2e3f-0000-4000-8000-5ec2e7000002';
export const PASSTHROUGH_SCALR = 'scalr-passthrough-5ec2e7-000000000002';

export const SECRETS = [SECRET, SCALR_TOKEN, GATEWAY_TOKEN_ALL, GATEWAY_TOKEN_ACME, PASSTHROUGH_KEY, PASSTHROUGH_SCALR];
