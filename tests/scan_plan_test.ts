/**
 * serve's scan wiring (`serveScans`): one AWS source for the process, reused
 * by every scan and closed once at shutdown, with cumulative API counts; the
 * bound a running scan gets on /livez.
 */
import assert from "node:assert/strict";
import { serveScans } from "../src/cli/serve_command.ts";
import type { Io } from "../src/cli/io.ts";
import { silentLogger } from "../src/log.ts";
import type { ApiCounts, ResourceRecord } from "../src/model.ts";
import type { ResourceSource, Target } from "../src/sources/source.ts";
import { config } from "./testdata/serve/fixtures.ts";

/** A stand-in for the live AWS source that counts what serve does with it. */
class CountingSource implements ResourceSource {
  requests = 0;
  closed = 0;
  async *pages(target: Target, signal: AbortSignal): AsyncGenerator<ResourceRecord[]> {
    signal.throwIfAborted();
    this.requests++;
    await Promise.resolve();
    yield [{ arn: `arn:aws:ec2:${target.region}:111111111111:instance/i-1`, tags: {} }];
  }
  apiCounts(): Record<string, ApiCounts> {
    return { GetResources: { requests: this.requests, throttles: 0, retries: 0, errors: 0 } };
  }
  close(): void {
    this.closed++;
  }
}

function fakeIo(make: () => ResourceSource): Io & { built: number } {
  const io = {
    built: 0,
    stdout: () => Promise.resolve(),
    stdoutText: () => {},
    stderr: () => {},
    logger: () => silentLogger,
    progress: () => undefined,
    awsSource: () => {
      io.built++;
      return Promise.resolve(make());
    },
    env: () => undefined,
  };
  return io;
}

Deno.test("serveScans() builds one AWS source, reuses it for every scan and closes it once", async () => {
  const source = new CountingSource();
  const io = fakeIo(() => source);
  const scans = await serveScans(config, {}, io, silentLogger);
  const signal = new AbortController().signal;
  const first = await scans.scan(signal);
  const second = await scans.scan(signal);
  assert.equal(io.built, 1, "credentials and sessions live as long as the process");
  assert.equal(source.closed, 0, "a scan does not close the shared source");
  assert.equal(first.targets.length, 2);
  assert.ok(second.targets.every((t) => t.ok));
  assert.deepEqual(scans.apiTotals(), {
    GetResources: { requests: 4, throttles: 0, retries: 0, errors: 0 },
  });
  await scans.close();
  assert.equal(source.closed, 1);
});

Deno.test("serveScans() bounds a running scan by target timeout x rounds of the pool", async () => {
  const io = fakeIo(() => new CountingSource());
  // 2 targets: one round at the default concurrency, two at concurrency 1.
  const one = await serveScans(config, {}, io, silentLogger);
  assert.equal(one.maxScanSeconds, config.aws.targetTimeoutSeconds);
  await one.close();
  const two = await serveScans(config, { concurrency: 1 }, io, silentLogger);
  assert.equal(two.maxScanSeconds, 2 * config.aws.targetTimeoutSeconds);
  await two.close();
});
