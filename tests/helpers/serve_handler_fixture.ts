/** The serve handler tests' app: three EC2 instances and an app whose first scan succeeded. */
import assert from "node:assert/strict";
import { app, result, target } from "../testdata/serve/fixtures.ts";

export const I1 = "arn:aws:ec2:us-east-1:111111111111:instance/i-1";
export const I2 = "arn:aws:ec2:us-east-1:111111111111:instance/i-2";
export const I3 = "arn:aws:ec2:us-east-1:111111111111:instance/i-3";

/** A handler over a real Refresher whose first scan found I1-I3 in us-east-1, eu-west-1 empty. */
export async function ready() {
  const a = app();
  a.scans.queue.push(result([target("us-east-1", [I1, I2, I3]), target("eu-west-1", [])]));
  assert.equal(await a.refresher.refresh("test"), "success");
  return a;
}
