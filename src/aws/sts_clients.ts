import { STSClient } from "@aws-sdk/client-sts";
import type { AccountConfig, AwsConfig } from "../config/model.ts";
import type { ApiStats } from "./api_stats.ts";
import { clientOptions } from "./client_options.ts";

/** An SDK credential provider, as the clients accept and resolve it. */
export type CredentialProvider = NonNullable<STSClient["config"]["credentials"]>;

/**
 * The STS clients of a source, one per STS region, all signing with the base
 * credentials. Base credentials come from the SDK's default provider chain
 * (env, shared profile, SSO, web identity/IRSA, ECS, IMDS), which the first
 * client resolves; every other client, STS or tagging, reuses that client's
 * memoized provider, so the chain runs once and refreshes in one place.
 */
export class StsClients {
  #clients = new Map<string, STSClient>();
  #base: CredentialProvider | undefined;

  constructor(private readonly aws: AwsConfig, private readonly stats: ApiStats) {}

  /** The regional STS client for `account`: `sts_region`, else its first region. */
  forAccount(account: AccountConfig): STSClient {
    const region = this.aws.stsRegion ?? account.regions[0];
    let client = this.#clients.get(region);
    if (!client) {
      client = new STSClient({ region, credentials: this.#base, ...clientOptions(this.aws) });
      this.#base ??= client.config.credentials;
      this.stats.install(client.middlewareStack);
      this.#clients.set(region, client);
    }
    return client;
  }

  /** The base credentials provider; `account` picks the region if none exists yet. */
  baseCredentials(account: AccountConfig): CredentialProvider {
    if (!this.#base) this.forAccount(account);
    return this.#base!;
  }

  /** Destroys every client and its sockets. */
  close(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}
