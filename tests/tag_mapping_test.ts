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

Deno.test("toRecords() takes null members of parsed JSON as absent", () => {
  assert.deepEqual(
    toRecords(JSON.parse(
      '[{"ResourceARN":"arn:a","Tags":[{"Key":null,"Value":"x"},{"Key":"k","Value":null}],' +
        '"ComplianceDetails":null},{"ResourceARN":null},{"ResourceARN":"arn:b","Tags":null},' +
        '{"ResourceARN":"arn:c","Tags":[],"ComplianceDetails":{"NoncompliantKeys":null,' +
        '"KeysWithNoncompliantValues":["k"],"ComplianceStatus":null}}]',
    )),
    [
      { arn: "arn:a", tags: { k: "" } },
      { arn: "arn:b", tags: {} },
      { arn: "arn:c", tags: {}, compliance: { compliant: false, keys: ["k"] } },
    ],
  );
});
