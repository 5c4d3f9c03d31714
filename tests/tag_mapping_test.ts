/** toRecords(): GetResources tag mappings (live or saved) to plain records. */
import assert from "node:assert/strict";
import { toRecords } from "../src/sources/tag_mapping.ts";

Deno.test("toRecords() maps SDK shapes to plain records", () => {
  assert.deepEqual(
    toRecords([
      { ResourceARN: "arn:a", Tags: [{ Key: "k", Value: "v" }, { Key: "e", Value: undefined }] },
      { ResourceARN: "arn:b" },
      { Tags: [{ Key: "k", Value: "v" }] },
    ]),
    [{ arn: "arn:a", tags: { k: "v", e: "" } }, { arn: "arn:b", tags: {} }],
  );
});
