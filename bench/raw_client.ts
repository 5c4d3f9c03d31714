/**
 * A trivial client of the fake AWS for the `org` benchmark: hand-built STS
 * and Tagging requests over `fetch` (one keep-alive pool, no SDK), paced like
 * the exporter at 14 calls/s per account-region. It shows what the fake
 * itself can serve on this machine (the floor any exporter run sits on) and
 * measures the round trips the critical-path bound is made of.
 *
 * The fake does not verify signatures, only reads the access key id and
 * region from the credential scope, so a fixed dummy signature does.
 *
 * @module
 */
import { accountId, ACCOUNTS, PAGE_SIZE, REGIONS } from "./org_fixture.ts";

const BASE_KEY = "AKIAFAKEBASE0000";
const PACE_MS = 1000 / 14;

function auth(key: string, region: string, service: string): string {
  return `AWS4-HMAC-SHA256 Credential=${key}/20260101/${region}/${service}/aws4_request, ` +
    `SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
}

/** AssumeRole into account `a`; returns the issued access key id. */
export async function assumeRole(url: string, a: number): Promise<string> {
  const res = await fetch(url + "/", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: auth(BASE_KEY, "us-east-1", "sts"),
    },
    body: new URLSearchParams({
      Action: "AssumeRole",
      Version: "2011-06-15",
      RoleArn: `arn:aws:iam::${accountId(a)}:role/TagReader`,
      RoleSessionName: "org-bench",
    }),
  });
  const xml = await res.text();
  const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1];
  if (!res.ok || !key) throw new Error(`AssumeRole ${res.status}: ${xml.slice(0, 200)}`);
  return key;
}

/** One GetResources page; returns its resource count and next token ("" at the end). */
export async function getResources(
  url: string,
  key: string,
  region: string,
  token: string,
): Promise<{ count: number; token: string }> {
  const res = await fetch(url + "/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "ResourceGroupsTaggingAPI_20170126.GetResources",
      authorization: auth(key, region, "tagging"),
    },
    body: JSON.stringify({
      ResourcesPerPage: PAGE_SIZE,
      ...token ? { PaginationToken: token } : {},
    }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`GetResources ${res.status}: ${JSON.stringify(body)}`);
  return { count: body.ResourceTagMappingList.length, token: body.PaginationToken ?? "" };
}

/** Best-of-`n` round trips of AssumeRole and of a first GetResources page, in ms. */
export async function roundTrips(
  url: string,
  n = 5,
): Promise<{ assumeMs: number; pageMs: number }> {
  let assumeMs = Infinity;
  let pageMs = Infinity;
  for (let k = 0; k < n; k++) {
    let t = performance.now();
    const key = await assumeRole(url, k);
    assumeMs = Math.min(assumeMs, performance.now() - t);
    // Different regions each time, so the fake's 15/s limit is never near.
    t = performance.now();
    await getResources(url, key, REGIONS[k % REGIONS.length], "");
    pageMs = Math.min(pageMs, performance.now() - t);
  }
  return { assumeMs, pageMs };
}

/** Scans the whole organisation with `concurrency` targets at once; wall seconds and resources. */
export async function rawScan(
  url: string,
  concurrency: number,
): Promise<{ seconds: number; resources: number }> {
  const started = performance.now();
  const keys = new Map<number, Promise<string>>();
  const targets = Array.from({ length: ACCOUNTS * REGIONS.length }, (_, t) => t);
  let next = 0;
  let resources = 0;
  const worker = async () => {
    while (next < targets.length) {
      const t = targets[next++];
      const a = Math.floor(t / REGIONS.length);
      if (!keys.has(a)) keys.set(a, assumeRole(url, a));
      const key = await keys.get(a)!;
      let token = "";
      let last = -Infinity;
      do {
        const wait = last + PACE_MS - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        last = performance.now();
        const page = await getResources(url, key, REGIONS[t % REGIONS.length], token);
        resources += page.count;
        token = page.token;
      } while (token !== "");
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { seconds: (performance.now() - started) / 1000, resources };
}
