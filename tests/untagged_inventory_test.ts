/** `--inventory` with the files the AWS CLI would save from the fake: offline equals live. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { paginateListResources, type Resource } from "@aws-sdk/client-resource-explorer-2";
import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
  type ResourceTagMapping,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { type FakeAws, withFakeAws } from "./fake_aws/mod.ts";
import { scan } from "./helpers/aws.ts";
import { explorerClient } from "./helpers/fake_explorer.ts";
import { assumeInto } from "./helpers/fake_sdk.ts";
import { A, B, config, E1, ON, options, SIZES, targets, W1 } from "./helpers/untagged_fixture.ts";
import { targetOf } from "./helpers/untagged.ts";
import { withTempDir as withDir } from "./helpers/temp_dir.ts";
import { offline, write } from "./helpers/untagged_inventory_fixture.ts";

/** What `get-resources` and `list-resources` would have saved from the fake, per account. */
async function saveOutputs(fake: FakeAws, dir: string, indexRegion: Record<string, string>) {
  for (const [account, regions] of Object.entries(SIZES)) {
    const credentials = await assumeInto(fake, account);
    for (const region of Object.keys(regions)) {
      const client = new ResourceGroupsTaggingAPIClient({
        endpoint: fake.url,
        region,
        credentials,
      });
      const list: ResourceTagMapping[] = [];
      for await (const p of paginateGetResources({ client }, {})) {
        list.push(...p.ResourceTagMappingList!);
      }
      client.destroy();
      await write(join(dir, account, `${region}.json`), { ResourceTagMappingList: list });
    }
    const re = explorerClient(fake, credentials, indexRegion[account]);
    const resources: Resource[] = [];
    let viewArn: string | undefined;
    const filter = { Filters: { FilterString: "tag:none resourcetype.supports:tags" } };
    for await (const p of paginateListResources({ client: re }, filter)) {
      resources.push(...p.Resources!);
      viewArn = p.ViewArn;
    }
    re.destroy();
    await write(join(dir, account, "resource-explorer.json"), {
      Resources: resources,
      ViewArn: viewArn,
    });
  }
}

Deno.test("saved list-resources output: the offline scan equals the live one, counts and coverage", async () => {
  await withFakeAws(options(), async (fake) => {
    await withDir(async (dir) => {
      await saveOutputs(fake, dir, { [A]: E1, [B]: W1 });
      const live = (await scan(config(fake.url, ON), { keepMissing: Infinity })).result;
      const saved = await offline([dir], config(fake.url, ON));
      for (const [account, region] of targets()) {
        const l = targetOf(live, account, region);
        const o = targetOf(saved, account, region);
        assert.ok(l.ok && o.ok);
        assert.deepEqual(o.counts, l.counts, `${account}/${region}`);
        assert.deepEqual(o.untagged, l.untagged);
        assert.equal(o.untagged?.up, true);
      }
      // Without B's file, B is not covered, and says which file is missing; A is unchanged.
      await Deno.remove(join(dir, B, "resource-explorer.json"));
      const partial = await offline([dir], config(fake.url, ON));
      const plain = (await scan(config(fake.url), { keepMissing: Infinity })).result;
      for (const region of [W1, E1]) {
        const t = targetOf(partial, B, region);
        assert.ok(t.ok && t.untagged && !t.untagged.up);
        assert.equal(t.untagged.error.code, "NoExplorerFile");
        assert.match(
          t.untagged.error.message,
          /no Resource Explorer file in --inventory covers account 222222222222/,
        );
        assert.deepEqual(t.counts, (targetOf(plain, B, region) as typeof t).counts);
      }
      const [pa, sa] = [targetOf(partial, A, E1), targetOf(saved, A, E1)];
      assert.ok(pa.ok && sa.ok);
      assert.deepEqual([pa.counts, pa.untagged], [sa.counts, sa.untagged]);
    });
  });
});
