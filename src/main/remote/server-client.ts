import { HttpClient, type HttpOptions } from './http'

/**
 * What every server client starts from: its credentials, an HTTP client named after its server that masks the secret
 * in every error it raises, and close() for its sockets.
 */
export abstract class ServerClient<C> {
  protected readonly http: HttpClient

  protected constructor(
    opts: Omit<HttpOptions, 'label'>,
    protected readonly cred: C,
    label: string,
    secret: string
  ) {
    this.http = new HttpClient({ ...opts, label, secrets: [secret] })
  }

  close(): Promise<void> {
    return this.http.close()
  }
}
