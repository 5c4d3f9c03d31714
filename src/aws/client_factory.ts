import { AccountClient } from "@aws-sdk/client-account";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { ResourceExplorer2Client } from "@aws-sdk/client-resource-explorer-2";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { STSClient } from "@aws-sdk/client-sts";
import type { AwsConfig } from "../config/model.ts";
import type { ApiStats } from "./api_stats.ts";
import { clientOptions, type CommonClientOptions } from "./client_options.ts";
import type { MiddlewareStackLike } from "./middleware.ts";
import { type CallLimiter, installRateLimit } from "./rate_limiter.ts";
import type { SecretSet } from "./secrets.ts";

/** An SDK credential provider, as the clients accept and resolve it. */
export type CredentialProvider = NonNullable<STSClient["config"]["credentials"]>;

/** The constructor settings every client made by `#client` gets. */
type ClientConfig = CommonClientOptions & { region: string; credentials: CredentialProvider };

/** What a client for one account x region is made with. */
export interface ClientSpec {
  readonly region: string;
  /** The account's session, or the base credentials. */
  readonly credentials: CredentialProvider;
  /** Paces every HTTP attempt of the client (first tries and retries alike). */
  readonly limiter?: CallLimiter;
  /** Aborts a wait for the limiter. */
  readonly signal?: AbortSignal;
}

/**
 * The one place that turns (credentials, region, service) into a configured
 * SDK client: retry settings and the endpoint from config, the API-counting
 * and secret-learning middleware on every client, and the pacing limiter
 * where one is given.
 * Sources ask the factory; they never build clients.
 *
 * STS clients sign with the base credentials from the SDK's default provider
 * chain (env, shared profile, SSO, web identity/IRSA, ECS, IMDS), which the
 * first client resolves; every other client reuses that client's memoized
 * provider, so the chain runs once and refreshes in one place. They are kept
 * per region for the life of the factory.
 *
 * @example
 * const clients = new ClientFactory(config.aws, new ApiStats());
 * const tagging = clients.tagging({ region: "us-east-1", credentials, limiter });
 */
export class ClientFactory {
  #sts = new Map<string, STSClient>();
  #base: CredentialProvider | undefined;

  /** `secrets`, when given, learns the session token of every request the clients sign. */
  constructor(
    private readonly aws: AwsConfig,
    private readonly stats: ApiStats,
    private readonly secrets?: SecretSet,
  ) {}

  /** The STS client of `region`, signing with the base credentials; one per region. */
  sts(region: string): STSClient {
    let client = this.#sts.get(region);
    if (!client) {
      client = this.#configure(
        new STSClient({ region, credentials: this.#base, ...clientOptions(this.aws) }),
      );
      this.#base ??= client.config.credentials;
      this.#sts.set(region, client);
    }
    return client;
  }

  /** The base credentials provider; `region` picks the STS client that resolves it first. */
  baseCredentials(region: string): CredentialProvider {
    if (!this.#base) this.sts(region);
    return this.#base!;
  }

  /** A new Resource Groups Tagging API client; the caller destroys it. */
  tagging(spec: ClientSpec): ResourceGroupsTaggingAPIClient {
    return this.#client(ResourceGroupsTaggingAPIClient, spec);
  }

  /**
   * A new AWS Organizations client; the caller destroys it. Organizations
   * has one global endpoint per partition: `region` is the one it is signed
   * for (`homeRegionOf` the partition, us-east-1 in aws).
   */
  organizations(spec: ClientSpec): OrganizationsClient {
    return this.#client(OrganizationsClient, spec);
  }

  /** A new Account API client (ListRegions) for one account's session; the caller destroys it. */
  account(spec: ClientSpec): AccountClient {
    return this.#client(AccountClient, spec);
  }

  /** A new Resource Explorer client (the account's index region); the caller destroys it. */
  explorer(spec: ClientSpec): ResourceExplorer2Client {
    return this.#client(ResourceExplorer2Client, spec);
  }

  /** Destroys every kept client and its sockets. */
  close(): void {
    for (const client of this.#sts.values()) client.destroy();
    this.#sts.clear();
  }

  /** A client of `Client` for `spec`, with the shared settings and middleware. */
  #client<C extends { middlewareStack: MiddlewareStackLike }>(
    Client: new (config: ClientConfig) => C,
    spec: ClientSpec,
  ): C {
    const client = new Client({
      region: spec.region,
      credentials: spec.credentials,
      ...clientOptions(this.aws),
    });
    return this.#configure(client, spec);
  }

  #configure<C extends { middlewareStack: MiddlewareStackLike }>(
    client: C,
    spec?: Pick<ClientSpec, "limiter" | "signal">,
  ): C {
    this.stats.install(client.middlewareStack);
    this.secrets?.install(client.middlewareStack);
    if (spec?.limiter) installRateLimit(client.middlewareStack, spec.limiter, spec.signal);
    return client;
  }
}
