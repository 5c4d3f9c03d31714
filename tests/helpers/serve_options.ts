/** runServe's options for in-process tests: loopback, port 0, one-minute interval, no TLS. */
import type { runServe } from "../../src/serve/server.ts";
import { intervalSchedule } from "../../src/serve/schedule.ts";
import { config, type ScriptedScans } from "../testdata/serve/fixtures.ts";

export type ServeOptions = Parameters<typeof runServe>[0];

/** The options with `over` applied. */
export function serveOptions(scans: ScriptedScans, over: Partial<ServeOptions> = {}): ServeOptions {
  return {
    hostname: "127.0.0.1",
    port: 0,
    schedule: intervalSchedule(60),
    scan: scans.scan,
    detail: config.detailMetrics,
    status: { config, source: "inventory", livenessIntervals: 3 },
    web: { tls: null, users: new Map() },
    shutdownGraceSeconds: 0,
    stop: new AbortController().signal,
    ...over,
  };
}
