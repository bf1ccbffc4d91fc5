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
