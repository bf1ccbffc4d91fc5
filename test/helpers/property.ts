/**
 * How many cases each property test runs: a few hundred in `npm test`, 10,000 in `npm run test:property`
 * (scripts/test-property.mjs sets TOKENDESK_PROPERTY_RUNS). Property test files are named `*.property.test.ts`.
 */
export const PROPERTY_RUNS = Number(process.env.TOKENDESK_PROPERTY_RUNS ?? 300)
