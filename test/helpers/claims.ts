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
