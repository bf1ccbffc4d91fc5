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
import { api, waitForJob } from '../api'

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

export const initialJwtState: JwtState = {
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
let explainSeq = 0
let verifySeq = 0
let signSeq = 0
let bulkSeq = 0

export const useJwtStore = create<JwtState & JwtActions>()((set, get) => ({
  ...initialJwtState,
  setTab(tab) {
    set({ tab })
  },
  setToken(token) {
    if (token !== get().token) set({ token, verifyResult: null, verifyError: null })
  },
  async explain() {
    const n = ++explainSeq
    const token = get().token.trim()
    if (!token) return set({ explanation: null, explainError: null })
    const r = await api.jwt.explain({ token })
    if (n !== explainSeq) return
    if (r.ok) set({ explanation: r.value, explainError: null })
    else set({ explanation: null, explainError: r.error })
  },
  setVerifyKeyRef(verifyKeyRef) {
    set({ verifyKeyRef, verifyResult: null, verifyError: null })
  },
  async verifyWithSsoApp(input) {
    const n = ++verifySeq
    set({ verifyResult: null, verifyError: null })
    const r = await api.ssoApps.verify(input)
    if (n !== verifySeq) return
    if (r.ok) set({ verifyResult: r.value })
    else set({ verifyError: r.error })
  },
  async verify(input) {
    const n = ++verifySeq
    set({ verifyResult: null, verifyError: null })
    const r = await api.jwt.verify(input)
    if (n !== verifySeq) return
    if (r.ok) set({ verifyResult: r.value })
    else set({ verifyError: r.error })
  },
  async sign(input) {
    const n = ++signSeq
    const r = await api.jwt.sign(input)
    if (n === signSeq) set(r.ok ? { signResult: r.value, signError: null } : { signResult: null, signError: r.error })
    return r
  },
  async startBulk(input) {
    const n = ++bulkSeq
    set({ bulkJob: null, bulkError: null })
    const r = await api.jwt.mintStart(input)
    if (n !== bulkSeq) return
    if (!r.ok) return set({ bulkError: r.error })
    const done = await waitForJob(r.value.jobId, (job) => {
      if (n === bulkSeq) set({ bulkJob: job })
    })
    if (n !== bulkSeq) return
    if (!done.ok) set({ bulkError: done.error })
    else if (done.value.error && done.value.state === 'failed') set({ bulkError: done.value.error })
  },
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

export function mintResultOf(job: JobInfo | null): JwtMintResult | null {
  return job && job.result && typeof job.result === 'object' ? (job.result as JwtMintResult) : null
}
