// Cloudflare Access, emulated for the e2e tests: RSA keys made here, served as the team's certs
// by a loopback JWKS server, and `Cf-Access-Jwt-Assertion` values signed with them.
import { createServer } from 'node:http';
import { generateKeyPairSync, sign, randomBytes } from 'node:crypto';

const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

export class Access {
  constructor() {
    this.key = { kid: 'access-1', ...generateKeyPairSync('rsa', { modulusLength: 2048 }) };
    this.aud = 'backboard-test-aud-' + randomBytes(4).toString('hex');
    this.server = null;
    this.origin = '';
  }

  /// Serves the public key as the team's certs, on any path.
  start() {
    this.server = createServer((req, res) => {
      const jwk = { ...this.key.publicKey.export({ format: 'jwk' }), kid: this.key.kid, alg: 'RS256', use: 'sig' };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    return new Promise((r) => this.server.listen(0, '127.0.0.1', () => {
      this.origin = `http://127.0.0.1:${this.server.address().port}`;
      r();
    }));
  }

  stop() {
    this.server?.close();
  }

  /// The worker's variables for this Access application.
  vars() {
    return { ACCESS_TEAM_DOMAIN: this.origin, ACCESS_AUD: this.aud };
  }

  /// A valid assertion for `email`.
  jwt(email) {
    const now = Math.floor(Date.now() / 1000);
    const head = b64({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' });
    const body = b64({ aud: [this.aud], iss: this.origin, email, sub: email, iat: now, nbf: now, exp: now + 600 });
    const signature = sign('sha256', Buffer.from(`${head}.${body}`), this.key.privateKey).toString('base64url');
    return `${head}.${body}.${signature}`;
  }

  /// Adds the assertion for `email` to every request `page` sends to `origin`, as Access in
  /// front of the worker would.
  async signIn(page, origin, email) {
    await page.route(`${origin}/**`, (route) => {
      const headers = { ...route.request().headers(), 'cf-access-jwt-assertion': this.jwt(email) };
      return route.continue({ headers });
    });
  }
}
