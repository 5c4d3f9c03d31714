/** Shared fixture of the discovery tests: a live source's directory against the fake AWS. */

import { createAwsSource } from "../../src/aws/aws_source.ts";
import type { AccountConfig, Config } from "../../src/config/model.ts";
import { parseConfig } from "../../src/config/parse.ts";
import { silentLogger } from "../../src/log.ts";
import { type FakeAws, type FakeAwsOptions, withFakeAws } from "../fake_aws/mod.ts";
import { BASE_ENV, withEnv } from "./aws.ts";

/** What a discovery test gets: the fake, the parsed config and the live source. */
export interface Ctx {
  fake: FakeAws;
  config: Config;
  source: ReturnType<typeof createAwsSource>;
  /** Sorted ids of the discovered accounts. */
  members(): Promise<string[]>;
  /** The enabled regions of `id`, asked with the account's own role. */
  regions(id: string): Promise<string[]>;
}

/**
 * Runs `fn` against a fake where every organisation account can be assumed
 * into (the fake's STS needs an inventory entry), with a live source whose
 * config has `aws_organization: <org>` plus `extra`.
 */
export function withDirectory<T>(
  opts: FakeAwsOptions,
  org: string,
  fn: (ctx: Ctx) => Promise<T>,
  extra = "",
): Promise<T> {
  const inventory = { ...opts.inventory };
  for (const a of opts.organization?.accounts ?? []) inventory[a.Id] ??= {};
  return withFakeAws(
    { ...opts, inventory },
    (fake) =>
      withEnv({ ...BASE_ENV, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined }, async () => {
        const config = parseConfig(
          `aws_organization: ${org}\nassume_role_name_template: TagReader\n` +
            `endpoint_url: "${fake.url}"\nmax_attempts: 2\nREQUIRED_TAGS: [env]\n${extra}`,
          "discovery.yaml",
        );
        const source = createAwsSource(config, silentLogger);
        const signal = new AbortController().signal;
        try {
          return await fn({
            fake,
            config,
            source,
            members: async () =>
              (await source.directory.memberAccounts(config.organization!, signal))
                .map((m) => m.id).sort(),
            regions: (id) => source.directory.enabledRegions(accountOf(config, id), signal),
          });
        } finally {
          source.close();
        }
      }),
  );
}

/** A `regions: all` account with the config's role template, as the plan builds it. */
function accountOf(config: Config, id: string): AccountConfig {
  return {
    id,
    name: id,
    regions: [],
    partition: "aws",
    roleArn: `arn:aws:iam::${id}:role/TagReader`,
    externalId: null,
    sessionDurationSeconds: config.accountRules.roles.sessionDurationSeconds,
    homeRegion: "us-east-1",
  };
}
