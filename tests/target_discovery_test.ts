/**
 * TargetDiscovery through its port, with a scripted in-memory directory
 * (our own interface, not the SDK): the fallbacks when Organizations fails
 * (serve keeps the last list; scan falls back on the matrix or throws), an
 * account whose regions cannot be listed, and abort. Expected lists are
 * written out by hand.
 */
import assert from "node:assert/strict";
import type { MemberAccount } from "../src/config/account_list.ts";
import { parseConfig } from "../src/config/parse.ts";
import { TargetError } from "../src/errors.ts";
import { silentLogger } from "../src/log.ts";
import { TargetDiscovery } from "../src/scan/discovery.ts";
import { type AccountDirectory, DiscoveryError } from "../src/sources/directory.ts";
import { targetKey } from "../src/sources/source.ts";

/** A directory whose answers the test sets between two plans. */
class ScriptedDirectory implements AccountDirectory {
  members: MemberAccount[] | Error = [];
  regions = new Map<string, string[] | Error>();
  memberAccounts(): Promise<MemberAccount[]> {
    return this.members instanceof Error
      ? Promise.reject(this.members)
      : Promise.resolve(this.members);
  }
  enabledRegions(account: { id: string }): Promise<string[]> {
    const r = this.regions.get(account.id) ?? ["us-east-1"];
    return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
  }
}

const denied = new DiscoveryError("AccessDeniedException", "Organizations ListAccounts denied");

function discovery(matrix: string, keepLast: boolean) {
  const config = parseConfig(
    `${matrix}aws_organization: {}\nassume_role_name_template: R\nREQUIRED_TAGS: [env]\n`,
    "d.yaml",
  );
  return new TargetDiscovery(config, { log: silentLogger, concurrency: 4, keepLast });
}

const MATRIX = `aws_account_matrix:\n  - account_id: "999999999999"\n    regions: [eu-west-1]\n`;
const signal = new AbortController().signal;
const keys = (r: { targets: readonly { account: { id: string }; region: string }[] }) =>
  r.targets.map(targetKey);

Deno.test("serve: a failed discovery plans the last list discovered and says so", async () => {
  const dir = new ScriptedDirectory();
  const d = discovery("", true);
  dir.members = [{ id: "111111111111", name: "a" }, { id: "222222222222", name: "b" }];
  const first = await d.resolve(dir, undefined, signal);
  assert.deepEqual(keys(first), ["111111111111/us-east-1", "222222222222/us-east-1"]);
  assert.equal(first.report.organization?.ok, true);

  dir.members = denied;
  const second = await d.resolve(dir, undefined, signal);
  assert.deepEqual(keys(second), keys(first));
  assert.deepEqual(
    [
      second.report.organization?.ok,
      second.report.organization?.fallback,
      second.report.organization?.error,
    ],
    [false, "last", "Organizations ListAccounts denied"],
  );
});

Deno.test("serve: a failed first discovery plans the matrix, even an empty one", async () => {
  const dir = new ScriptedDirectory();
  dir.members = denied;
  const none = await discovery("", true).resolve(dir, undefined, signal);
  assert.deepEqual(keys(none), []);
  assert.equal(none.report.organization?.fallback, "matrix");
  const some = await discovery(MATRIX, true).resolve(dir, undefined, signal);
  assert.deepEqual(keys(some), ["999999999999/eu-west-1"]);
});

Deno.test("scan: a failed discovery falls back on the matrix, or throws without one", async () => {
  const dir = new ScriptedDirectory();
  dir.members = denied;
  const some = await discovery(MATRIX, false).resolve(dir, undefined, signal);
  assert.deepEqual(keys(some), ["999999999999/eu-west-1"]);
  assert.equal(some.report.organization?.fallback, "matrix");
  await assert.rejects(discovery("", false).resolve(dir, undefined, signal), denied);
});

Deno.test("regions that cannot be listed fail the account's targets: region all, or its last regions", async () => {
  const dir = new ScriptedDirectory();
  const d = discovery("", true);
  dir.members = [{ id: "111111111111", name: "a" }];
  const noRegions = new TargetError("AccessDeniedException", "account:ListRegions denied");
  dir.regions.set("111111111111", noRegions);
  const first = await d.resolve(dir, undefined, signal);
  assert.deepEqual(keys(first), ["111111111111/all"]);
  assert.equal(first.failures.get("111111111111/all"), noRegions);
  assert.equal(first.report.accounts[0].error, "account:ListRegions denied");

  dir.regions.set("111111111111", ["eu-west-1", "us-east-1"]);
  const second = await d.resolve(dir, undefined, signal);
  assert.deepEqual(keys(second), ["111111111111/eu-west-1", "111111111111/us-east-1"]);
  assert.equal(second.failures.size, 0);

  dir.regions.set("111111111111", noRegions);
  const third = await d.resolve(dir, undefined, signal);
  assert.deepEqual(keys(third), keys(second), "the series that existed go to up 0");
  assert.deepEqual([...third.failures.keys()], keys(second));
});

Deno.test("an account that left and came back has no last regions: region all fails", async () => {
  const dir = new ScriptedDirectory();
  const d = discovery("", true);
  dir.members = [{ id: "111111111111", name: "a" }, { id: "222222222222", name: "b" }];
  dir.regions.set("111111111111", ["eu-west-1", "us-east-1"]);
  assert.deepEqual(keys(await d.resolve(dir, undefined, signal)), [
    "111111111111/eu-west-1",
    "111111111111/us-east-1",
    "222222222222/us-east-1",
  ]);
  dir.members = [{ id: "222222222222", name: "b" }];
  assert.deepEqual(keys(await d.resolve(dir, undefined, signal)), ["222222222222/us-east-1"]);

  dir.members = [{ id: "111111111111", name: "a" }, { id: "222222222222", name: "b" }];
  const noRegions = new TargetError("AccessDeniedException", "account:ListRegions denied");
  dir.regions.set("111111111111", noRegions);
  const back = await d.resolve(dir, undefined, signal);
  // Its old series were not exported while it was away: nothing to set to up 0.
  assert.deepEqual(keys(back), ["111111111111/all", "222222222222/us-east-1"]);
  assert.equal(back.failures.get("111111111111/all"), noRegions);
});

Deno.test("an aborted plan rejects with the abort reason, not a fallback", async () => {
  const controller = new AbortController();
  const reason = new Error("shutdown");
  const dir = new ScriptedDirectory();
  dir.memberAccounts = () => {
    controller.abort(reason);
    return Promise.reject(new Error("the call was cut"));
  };
  await assert.rejects(discovery(MATRIX, true).resolve(dir, undefined, controller.signal), reason);
});
