/** The twelve claim fields of one lifecycle token (xdua's shape), for tests that add one locally or on a server. */
export const CLAIMS = {
  typ: 'L',
  aud: 'AppOne',
  sap: 'SvKerneL',
  jti: 'abc123',
  ipm: '*',
  dvm: '*',
  tag: 'Main',
  api: '*',
  bug: '0',
  shop: 'ShopA',
  role: 'reader',
  rule: '*'
}

/** Claims that trip no finding of their own: a single IP and device, a role and rule other than `*`. */
export const QUIET_CLAIMS = {
  typ: 'L',
  aud: 'a',
  sap: 's',
  jti: 'j1',
  ipm: '10.0.0.1',
  dvm: 'd1',
  tag: 't',
  api: '*',
  bug: '0',
  shop: 's',
  role: 'r',
  rule: 'x'
}

/** The seed pages' example claims (an open ipm, dvm, role and rule): the xdua emulator's tokens, CLI tests' adds. */
export const SEED_CLAIMS = {
  typ: 'L',
  aud: 'AdmManHu',
  sap: 'SvKerneL',
  jti: '12345678',
  ipm: '*',
  dvm: '*',
  tag: 'Primary',
  api: '*',
  bug: '*',
  shop: 'EldrCaRE',
  role: '*',
  rule: '*'
}

/** Claims as `tokendesk tokens add` flags, in the object's order: `--typ L --aud ...`. */
export const claimFlags = (claims: Record<string, string>): string[] =>
  Object.entries(claims).flatMap(([k, v]) => [`--${k}`, v])
