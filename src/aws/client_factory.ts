import { AccountClient } from "@aws-sdk/client-account";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { ResourceExplorer2Client } from "@aws-sdk/client-resource-explorer-2";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { STSClient } from "@aws-sdk/client-sts";
import type { SignatureV4 } from "@smithy/signature-v4";
import type { AwsConfig } from "../config/model.ts";
import type { ApiStats } from "./api_stats.ts";
import { clientOptions, type ProcessSettings, processSettings } from "./client_options.ts";
import { FetchHandler } from "./fetch_handler.ts";
import { proxyFields, readEnv } from "./proxy_env.ts";
import { clientSigner } from "./signer.ts";
import { TaggingProtocol } from "./tagging_protocol.ts";
import type { MiddlewareStackLike } from "./middleware.ts";
import { type CallLimiter, installRateLimit } from "./rate_limiter.ts";
import type { SecretSet } from "./secrets.ts";

/** An SDK credential provider, as the clients accept and resolve it. */
export type CredentialProvider = NonNullable<STSClient["config"]["credentials"]>;

/** What a client for one account x region is made with. */
export interface ClientSpec {
  readonly region: string;
  /** The account's session, or the base credentials. */
  readonly credentials: CredentialProvider;
  /** Paces every HTTP attempt of the client (first tries and retries alike). */
  readonly limiter?: CallLimiter;
  /**
   * Whose credentials and limiter these are (an account's session): calls
   * for the same service, region and key share one client, and with it its
   * memoized credentials and SigV4 signing keys.
   */
  readonly key: string;
}

/** What every SDK client made here shares, and how each one is kept. */
interface SdkClient {
  readonly middlewareStack: MiddlewareStackLike;
  readonly config: {
    defaultUserAgentProvider: () => Promise<unknown>;
    // deno-lint-ignore no-explicit-any
    credentials: () => Promise<any>;
    sha256: unknown;
  };
  destroy(): void;
}

type ClientClass<C> = new (config: Record<string, unknown>) => C;

/**
 * The one place that turns (credentials, region, service) into a configured
 * SDK client: retry settings and the endpoint from config, the API-counting
 * and secret-learning middleware on every client, and the pacing limiter
 * where one is given. Sources ask the factory; they never build or destroy
 * clients.
 *
 * Built for thousands of account-regions: every client sends through one
 * `FetchHandler` (Deno's per-host keep-alive pool, proxies from the
 * environment); the settings the SDK would look up per client (env, shared
 * config files) are resolved once (`processSettings`), and so is each
 * service's user agent (the SDK asks the OS release on every call). With
 * `keep` (serve), a client is kept per service, region and `ClientSpec.key`,
 * so the next scan reuses it (its signing keys and credentials included;
 * about 14 KB each), and `sweep` drops the clients the last scan did not
 * use, so accounts that leave the organisation do not accumulate.
 *
 * STS clients sign with the base credentials from the SDK's default provider
 * chain (env, shared profile, SSO, web identity/IRSA, ECS, IMDS), which the
 * first client resolves; every other client reuses that client's memoized
 * provider, so the chain runs once and refreshes in one place. The chain's
 * own STS calls (web identity) inherit the shared handler, proxy included.
 *
 * @example
 * const clients = new ClientFactory(config.aws, new ApiStats());
 * const tagging = clients.tagging({ region: "us-east-1", credentials, limiter, key: account.id });
 */
export class ClientFactory {
  #sts = new Map<string, STSClient>();
  #base: CredentialProvider | undefined;
  #handler = new FetchHandler(proxyFields(readEnv));
  #settings: ProcessSettings | undefined;
  /** Each SDK client class's user agent provider, memoized. */
  #userAgents = new Map<unknown, () => Promise<unknown>>();
  /** Kept clients, and whether each was asked for since the last sweep. */
  #kept = new Map<string, { client: SdkClient; used: boolean }>();

  private readonly secrets?: SecretSet;
  private readonly keep: boolean;

  /**
   * `secrets`, when given, learns the session token of every request the
   * clients sign; `keep` keeps clients for later scans (else each call of a
   * service method builds one, which its caller drops).
   */
  constructor(
    private readonly aws: AwsConfig,
    private readonly stats: ApiStats,
    opts: { secrets?: SecretSet; keep?: boolean } = {},
  ) {
    this.secrets = opts.secrets;
    this.keep = opts.keep ?? false;
  }

  /** The STS client of `region`, signing with the base credentials; one per region. */
  sts(region: string): STSClient {
    let client = this.#sts.get(region);
    if (!client) {
      client = this.#build(STSClient as ClientClass<STSClient>, "sts", region, this.#base);
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

  /** The Resource Groups Tagging API client of `spec` (GetResources parsed by `TaggingProtocol`). */
  tagging(spec: ClientSpec): ResourceGroupsTaggingAPIClient {
    return this.#keep(ResourceGroupsTaggingAPIClient, "tagging", spec, {
      protocol: TaggingProtocol,
    });
  }

  /**
   * The AWS Organizations client of `spec`. Organizations has one global
   * endpoint per partition: `region` is the one it is signed for
   * (`homeRegionOf` the partition, us-east-1 in aws).
   */
  organizations(spec: ClientSpec): OrganizationsClient {
    return this.#keep(OrganizationsClient, "organizations", spec);
  }

  /** The Account API client (ListRegions) of `spec`. */
  account(spec: ClientSpec): AccountClient {
    return this.#keep(AccountClient, "account", spec);
  }

  /** The Resource Explorer client of `spec` (the account's index region). */
  explorer(spec: ClientSpec): ResourceExplorer2Client {
    return this.#keep(ResourceExplorer2Client, "resource-explorer-2", spec);
  }

  /** Kept clients, for tests and benchmarks. */
  get size(): number {
    return this.#kept.size;
  }

  /**
   * Drops the clients not asked for since the last sweep; a source calls it
   * when a scan starts, so what it keeps is what the last scan used.
   */
  sweep(): void {
    for (const [key, entry] of this.#kept) {
      if (entry.used) entry.used = false;
      else this.#kept.delete(key);
    }
  }

  /** Drops every kept client. The shared handler has nothing to release. */
  close(): void {
    for (const client of this.#sts.values()) client.destroy();
    for (const { client } of this.#kept.values()) client.destroy();
    this.#sts.clear();
    this.#kept.clear();
  }

  #keep<C extends SdkClient>(
    Client: ClientClass<C>,
    service: string,
    spec: ClientSpec,
    extra: Record<string, unknown> = {},
  ): C {
    const key = `${service}\0${spec.region}\0${spec.key}`;
    const entry = this.#kept.get(key);
    if (entry) {
      entry.used = true;
      return entry.client as C;
    }
    const client = this.#build(Client, service, spec.region, spec.credentials, extra);
    if (spec.limiter) installRateLimit(client.middlewareStack, spec.limiter);
    if (this.keep) this.#kept.set(key, { client, used: true });
    return client;
  }

  /**
   * A client of `Client` (`service`: its signing name) with the shared
   * settings, handler and middleware, and a signer of its own (`clientSigner`).
   */
  #build<C extends SdkClient>(
    Client: ClientClass<C>,
    service: string,
    region: string,
    credentials: CredentialProvider | undefined,
    extra: Record<string, unknown> = {},
  ): C {
    const userAgent = this.#userAgents.get(Client);
    let signer: SignatureV4 | undefined;
    const client: C = new Client({
      ...extra,
      region,
      credentials,
      ...clientOptions(this.aws),
      ...(this.#settings ??= processSettings()),
      requestHandler: this.#handler,
      ...(userAgent && { defaultUserAgentProvider: userAgent }),
      signer: () =>
        Promise.resolve(
          signer ??= clientSigner({
            credentials: () => client.config.credentials(),
            region,
            service,
            sha256: client.config.sha256,
          }),
        ),
    });
    if (!userAgent) this.#memoizeUserAgent(Client, client);
    this.stats.install(client.middlewareStack);
    this.secrets?.install(client.middlewareStack);
    return client;
  }

  /** The first client of a class keeps the SDK's provider; it and later ones share its answer. */
  #memoizeUserAgent(Client: unknown, client: SdkClient): void {
    const sdk = client.config.defaultUserAgentProvider;
    let answer: Promise<unknown> | undefined;
    const memo = () =>
      answer ??= sdk().catch((e) => {
        answer = undefined;
        throw e;
      });
    this.#userAgents.set(Client, memo);
    client.config.defaultUserAgentProvider = memo;
  }
}
