import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback GitHub, written to GitHub's documented OAuth behaviour:
 *  - GET  /login/oauth/authorize redirects back to redirect_uri with `code` and `state`
 *    (the "user" approves at once; `?deny=1` on the mock makes it answer error=access_denied);
 *  - POST /login/oauth/access_token answers form-encoded unless Accept asks for JSON, reports
 *    refusals as HTTP 200 + `error`, checks the PKCE verifier, issues expiring user tokens with
 *    rotating refresh tokens (each refresh token works once);
 *  - GET  /user/repos needs `Authorization: Bearer|token <live access token>`, else 401.
 * Plus helpers for proxy tests: /echo, /big, /upload, /slow, /redirect-private.
 */
export interface MockGitHub {
  url: string;
  clientId: string;
  clientSecret: string;
  /** Seconds the next issued access token lives (null: a non-expiring OAuth App token). */
  accessTokenTtlSeconds: number | null;
  /** Make the token endpoint refuse refresh grants. */
  failRefresh: boolean;
  /** Counts per grant type. */
  readonly grants: { authorization_code: number; refresh_token: number };
  /** Authorization headers /user/repos received, in order. */
  readonly reposAuthorizations: string[];
  /** Code challenges the authorize endpoint received (PKCE). */
  readonly challenges: string[];
  /** The live access token for a login (tests: expire it on purpose). */
  expireAccessTokens(): void;
  /** Bytes the most recent /big response has written so far (to observe back-pressure). */
  readonly bigSent: number;
  /** Bytes /upload received, per request. */
  readonly uploads: number[];
  requestCount(path: string): number;
  close(): Promise<void>;
}

interface IssuedToken {
  login: string;
  expiresAt: number | null;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const base64url = (buf: Buffer): string => buf.toString('base64url');

export async function startMockGitHub(options: { clientId?: string; clientSecret?: string } = {}): Promise<MockGitHub> {
  const clientId = options.clientId ?? 'Iv1.mockclientid';
  const clientSecret = options.clientSecret ?? 'mock-client-secret-0123456789';
  const codes = new Map<string, { redirectUri: string; challenge: string | null; login: string }>();
  const accessTokens = new Map<string, IssuedToken>();
  const refreshTokens = new Map<string, string>(); // refresh token -> login
  const hits = new Map<string, number>();
  let serial = 0;
  let bigSent = 0;

  const answerToken = (req: IncomingMessage, res: ServerResponse, body: Record<string, string | number>): void => {
    const wantsJson = String(req.headers.accept ?? '').includes('application/json');
    const text = wantsJson ? JSON.stringify(body) : new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
    res.writeHead(200, { 'content-type': wantsJson ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded; charset=utf-8' });
    res.end(text);
  };

  const issue = (login: string): Record<string, string | number> => {
    serial += 1;
    const access = `ghu_mock${serial}_${login}`;
    const refresh = `ghr_mock${serial}_${login}`;
    accessTokens.set(access, { login, expiresAt: mock.accessTokenTtlSeconds === null ? null : Date.now() + mock.accessTokenTtlSeconds * 1000 });
    refreshTokens.set(refresh, login);
    const body: Record<string, string | number> = { access_token: access, token_type: 'bearer', scope: 'read:user,repo' };
    if (mock.accessTokenTtlSeconds !== null) {
      body['expires_in'] = mock.accessTokenTtlSeconds;
      body['refresh_token'] = refresh;
      body['refresh_token_expires_in'] = 15897600;
    }
    return body;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://mock');
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    if (req.method === 'GET' && url.pathname === '/login/oauth/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      const state = url.searchParams.get('state') ?? '';
      if (url.searchParams.get('client_id') !== clientId) {
        res.writeHead(404).end('unknown client');
        return;
      }
      const back = new URL(redirectUri);
      if (url.searchParams.get('deny') === '1') {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The user has denied your application access.');
      } else {
        const code = base64url(createHash('sha256').update(`${Date.now()}-${Math.random()}`).digest()).slice(0, 20);
        const challenge = url.searchParams.get('code_challenge');
        if (challenge) mock.challenges.push(challenge);
        codes.set(code, { redirectUri, challenge, login: url.searchParams.get('login') ?? 'octocat' });
        back.searchParams.set('code', code);
      }
      back.searchParams.set('state', state);
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/login/oauth/access_token') {
      const form = new URLSearchParams(await readBody(req));
      if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        answerToken(req, res, { error: 'incorrect_client_credentials', error_description: 'The client_id and/or client_secret passed are incorrect.' });
        return;
      }
      if (form.get('grant_type') === 'refresh_token') {
        mock.grants.refresh_token += 1;
        const login = refreshTokens.get(form.get('refresh_token') ?? '');
        if (mock.failRefresh || !login) {
          answerToken(req, res, { error: 'bad_refresh_token', error_description: 'The refresh token passed is incorrect or expired.' });
          return;
        }
        // Rotation: a refresh token works once.
        refreshTokens.delete(form.get('refresh_token')!);
        answerToken(req, res, issue(login));
        return;
      }
      mock.grants.authorization_code += 1;
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier');
      const pkceOk = !code?.challenge || (verifier !== null && base64url(createHash('sha256').update(verifier).digest()) === code.challenge);
      if (!code || code.redirectUri !== form.get('redirect_uri') || !pkceOk) {
        answerToken(req, res, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });
        return;
      }
      answerToken(req, res, issue(code.login));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/user/repos') {
      const auth = String(req.headers.authorization ?? '');
      mock.reposAuthorizations.push(auth);
      const token = /^(?:Bearer|token)\s+(\S+)$/i.exec(auth)?.[1] ?? '';
      const issued = accessTokens.get(token);
      if (!issued || (issued.expiresAt !== null && issued.expiresAt <= Date.now())) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-github-request-id': 'MOCK:1', 'set-cookie': 'logged_in=no; Path=/' });
      res.end(JSON.stringify([{ id: 1, name: 'hello-world', full_name: `${issued.login}/hello-world`, private: false }]));
      return;
    }
    if (url.pathname === '/echo' || url.pathname.startsWith('/echo/')) {
      const body = await readBody(req);
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'upstream-id', connection: 'keep-alive' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body }));
      return;
    }
    if (url.pathname === '/big') {
      const total = Number(url.searchParams.get('bytes') ?? '0');
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
      let sent = 0;
      bigSent = 0;
      // Generated on the fly with back-pressure: the mock never holds the whole body either.
      const pump = (): void => {
        while (sent < total) {
          const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent);
          sent += piece.length;
          bigSent = sent;
          if (!res.write(piece)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    if (url.pathname === '/upload') {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        mock.uploads.push(bytes);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
      });
      return;
    }
    if (url.pathname === '/slow') return; // never answers: upstream timeout tests
    if (url.pathname === '/redirect-private') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' }).end();
      return;
    }
    if (url.pathname === '/redirect-public') {
      res.writeHead(302, { location: 'https://93.184.215.14/elsewhere' }).end();
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const mock: MockGitHub = {
    url: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret,
    accessTokenTtlSeconds: 28800,
    failRefresh: false,
    grants: { authorization_code: 0, refresh_token: 0 },
    reposAuthorizations: [],
    challenges: [],
    uploads: [],
    get bigSent() {
      return bigSent;
    },
    expireAccessTokens() {
      for (const issued of accessTokens.values()) issued.expiresAt = Date.now() - 1;
    },
    requestCount: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return mock;
}
