import { create } from 'zustand'
import type {
  Input,
  JobInfo,
  JwtExplanation,
  JwtSignResult,
  JwtVerifyResult,
  JwtMintResult
} from '../../../shared/contract'
import type { AppErrorShape, Result } from '../../../shared/errors'
import { api } from '../api'
import { followJobInto, latest, requestInto } from './latest'

export type JwtTab = 'decode' | 'verify' | 'sign' | 'bulk'

/** Verify with an SSO app's own key (its secret stays in the keychain; main checks with it). */
export interface VerifyKeyRef {
  ssoAppId: string
  name: string
  algorithm: string
}

export interface JwtState {
  tab: JwtTab
  verifyKeyRef: VerifyKeyRef | null
  /** The token being inspected (pasted by the user, or sent here from Sign / SSO apps). */
  token: string
  explanation: JwtExplanation | null
  explainError: AppErrorShape | null
  verifyResult: JwtVerifyResult | null
  verifyError: AppErrorShape | null
  signResult: JwtSignResult | null
  signError: AppErrorShape | null
  bulkJob: JobInfo | null
  bulkError: AppErrorShape | null
}

export interface JwtActions {
  setTab(tab: JwtTab): void
  setToken(token: string): void
  setVerifyKeyRef(ref: VerifyKeyRef | null): void
  verifyWithSsoApp(input: Input<'ssoApps:verify'>): Promise<void>
  explain(): Promise<void>
  verify(input: Input<'jwt:verify'>): Promise<void>
  sign(input: Input<'jwt:sign'>): Promise<Result<JwtSignResult>>
  startBulk(input: Input<'jwt:mintStart'>): Promise<void>
  cancelBulk(): Promise<void>
  clearResults(): void
}

const initialJwtState: JwtState = {
  tab: 'decode',
  verifyKeyRef: null,
  token: '',
  explanation: null,
  explainError: null,
  verifyResult: null,
  verifyError: null,
  signResult: null,
  signError: null,
  bulkJob: null,
  bulkError: null
}

// One counter per kind of request: typing a new token drops the answer for the old one.
const requests = latest('explain', 'verify', 'sign', 'bulk')

export const useJwtStore = create<JwtState & JwtActions>()((set, get) => ({
  ...initialJwtState,
  setTab(tab) {
    set({ tab })
  },
  setToken(token) {
    if (token !== get().token) set({ token, verifyResult: null, verifyError: null })
  },
  async explain() {
    const current = requests.explain.start()
    const token = get().token.trim()
    if (!token) return set({ explanation: null, explainError: null })
    const r = await api.jwt.explain({ token })
    if (!current()) return
    if (r.ok) set({ explanation: r.value, explainError: null })
    else set({ explanation: null, explainError: r.error })
  },
  setVerifyKeyRef(verifyKeyRef) {
    set({ verifyKeyRef, verifyResult: null, verifyError: null })
  },
  verifyWithSsoApp: (input) => verifyInto(set, () => api.ssoApps.verify(input)),
  verify: (input) => verifyInto(set, () => api.jwt.verify(input)),
  async sign(input) {
    const current = requests.sign.start()
    const r = await api.jwt.sign(input)
    if (current()) set(r.ok ? { signResult: r.value, signError: null } : { signResult: null, signError: r.error })
    return r
  },
  startBulk: (input) =>
    followJobInto(requests.bulk, set, {
      before: { bulkJob: null, bulkError: null },
      start: () => api.jwt.mintStart(input),
      progress: (bulkJob) => ({ bulkJob }),
      failed: (bulkError) => ({ bulkError })
    }),
  async cancelBulk() {
    const job = get().bulkJob
    if (!job || job.state !== 'running') return
    const r = await api.jobs.cancel({ id: job.id })
    if (!r.ok) set({ bulkError: r.error })
  },
  clearResults() {
    set({ verifyResult: null, verifyError: null, signResult: null, signError: null })
  }
}))

/** Both verify paths share one counter: a new verify drops the answer of the last, whichever path it took. */
function verifyInto(set: (patch: Partial<JwtState>) => void, call: () => Promise<Result<JwtVerifyResult>>) {
  return requestInto(requests.verify, set, {
    before: { verifyResult: null, verifyError: null },
    call,
    ok: (verifyResult) => ({ verifyResult }),
    failed: (verifyError) => ({ verifyError })
  })
}

export function mintResultOf(job: JobInfo | null): JwtMintResult | null {
  return job && job.result && typeof job.result === 'object' ? (job.result as JwtMintResult) : null
}
