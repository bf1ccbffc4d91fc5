/**
 * How many cases each property test runs: a few hundred in `npm test`, 10,000 in `npm run test:property`
 * (scripts/test-property.mjs sets TOKENDESK_PROPERTY_RUNS). Property test files are named `*.property.test.ts`.
 */
export const PROPERTY_RUNS = Number(process.env.TOKENDESK_PROPERTY_RUNS ?? 300)

/**
 * npm test runs every property with one fixed seed, so a run is repeatable and a red CI names a real regression;
 * `npm run test:property` (or TOKENDESK_PROPERTY_SEED) explores with fresh seeds.
 */
export const PROPERTY_SEED: number | undefined = process.env.TOKENDESK_PROPERTY_SEED
  ? Number(process.env.TOKENDESK_PROPERTY_SEED)
  : process.env.TOKENDESK_PROPERTY_RUNS
    ? undefined
    : 20261207

/**
 * Rounds of a race or kill loop: `quick` in `npm test`, one per thousand property cases when that is more (10 in
 * `npm run test:property`), so the full run repeats what the default run samples once or twice.
 */
export const roundsOf = (quick: number): number => Math.max(quick, Math.floor(PROPERTY_RUNS / 1000))
