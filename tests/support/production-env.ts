/**
 * An environment the production configuration accepts: every key production requires, with secrets
 * that look generated (fixed, so a run is repeatable). Tests take one key away or spoil it.
 */
export const productionEnv: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'kQ7vN2xR9mT4wZ8pL3cF6hJ1bY5sD0gAuE4rW7tI2oP9',
  PERSONAL_DATA_HMAC_KEY: 'Zt3Xq8Lw1Vn6Rb4Mc9Hy2Jk5Gd7Fs0Ae',
  SMTP_URL: 'smtp://mail-relay.invalid:587',
  TRUST_PROXY: 'loopback',
  DEMO_SEED: 'false',
};
