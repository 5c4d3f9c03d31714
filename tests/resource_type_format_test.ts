/** `resource_type_format` in metrics: `short` merges clusters, `service` keeps them apart. */
import assert from "node:assert/strict";
import {
  byType,
  detailTypes,
  FULLY,
  one,
  withFake,
} from "./helpers/resource_type_format_fixture.ts";

Deno.test("short merges every service's clusters into one type; service keeps five apart", async () => {
  await withFake(async (scan) => {
    const short = await scan("");
    assert.deepEqual(byType(short, "resources_fully_compliant_by_type_total"), {
      cluster: 3,
      instance: 1,
    });
    assert.deepEqual(byType(short, "resources_fully_compliant_by_type_percentage"), {
      cluster: 60,
      instance: 100,
    });
    // Short is the default: the same bytes, but for the exporter's timings and API counters.
    const compliance = (text: string) =>
      text.split("\n").filter((l) => !l.startsWith("aws_tag_exporter_")).join("\n");
    assert.equal(compliance(await scan("resource_type_format: short")), compliance(short));

    const service = await scan("resource_type_format: service");
    const want = {
      "ec2:instance": 1,
      "ecs:cluster": 1,
      "eks:cluster": 1,
      "elasticache:cluster": 1,
      "rds:cluster": 0,
    };
    assert.deepEqual(byType(service, FULLY), want);
    assert.deepEqual(byType(service, "resources_fully_compliant_by_type_percentage"), {
      ...want,
      "ecs:cluster": 50,
      "eks:cluster": 100,
      "elasticache:cluster": 100,
      "ec2:instance": 100,
    });
    assert.deepEqual(byType(service, "tag_resource_type_compliance_percentage"), {
      "ec2:instance": 100,
      "ecs:cluster": 50,
      "eks:cluster": 100,
      "elasticache:cluster": 100,
      "rds:cluster": 0,
    });
    // The detail families name the type the same way.
    assert.deepEqual(detailTypes(service), { "ecs:cluster": 1, "rds:cluster": 1 });
    assert.deepEqual(detailTypes(short), { cluster: 2 }, "two ARNs, one type");
    // Totals do not depend on the format.
    assert.equal(one(service, "resources_scanned_total"), 6);
    assert.equal(one(service, "resources_fully_compliant_total"), 4);
  });
});

Deno.test("exclusions match service:type under both formats: ecs:cluster or every cluster", async () => {
  await withFake(async (scan) => {
    for (const format of ["short", "service"]) {
      const ecs = await scan(
        `resource_type_format: ${format}\nexcluded_resource_types: ["ecs:cluster"]`,
      );
      assert.equal(one(ecs, "aws_tag_exporter_resources_excluded"), 2, format);
      assert.equal(one(ecs, "resources_scanned_total"), 4, format);
      const all = await scan(`resource_type_format: ${format}\nexcluded_resource_types: [cluster]`);
      assert.equal(one(all, "aws_tag_exporter_resources_excluded"), 5, format);
      assert.deepEqual(
        byType(all, FULLY),
        format === "short" ? { instance: 1 } : { "ec2:instance": 1 },
      );
      const types = byType(ecs, FULLY);
      if (format === "short") assert.deepEqual(types, { cluster: 2, instance: 1 });
      else {
        assert.deepEqual(types, {
          "ec2:instance": 1,
          "eks:cluster": 1,
          "elasticache:cluster": 1,
          "rds:cluster": 0,
        });
      }
    }
  });
});
