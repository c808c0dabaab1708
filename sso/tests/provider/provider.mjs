// A real OpenID Connect provider (node-oidc-provider) for unikom's sign-in tests.
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json: {"issuer": "http://127.0.0.1:PORT", "port": PORT,
//   "jwks": {"keys": [private JWK]}, "clients": [client metadata],
//   "accounts": {"<login>": {claims}}}
// Signing in uses the library's own development pages: any login from
// "accounts", any password, then "Continue" on the consent page.
// Prints "listening <issuer>" once it accepts connections. Loopback only.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const provider = new Provider(config.issuer, {
  clients: config.clients,
  jwks: config.jwks,
  cookies: { keys: [config.cookieKey || 'unikom-test-provider-cookie-key'] },
  // Claims as Feide, ID-porten/Ansattporten and Entra ID name them; "pid" is
  // ID-porten's national identity number, "orgno" an organisation number.
  claims: {
    openid: ['sub'],
    profile: ['name', 'given_name', 'family_name', 'pid'],
    email: ['email', 'email_verified'],
    organisation: ['orgno'],
  },
  // The claims of the granted scopes go into the ID token itself, as
  // ID-porten does, not only to the userinfo endpoint.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const claims = config.accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
provider.proxy = false;

const server = provider.listen(config.port, '127.0.0.1', () => {
  console.log(`listening ${config.issuer}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
