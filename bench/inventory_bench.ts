/**
 * serve re-reading a large inventory (`deno task bench inventory`): a ~100 MB
 * `get-resources` file for one account-region; serve is started on it, a
 * rescan is started with SIGHUP, and /livez is polled every 5 ms meanwhile.
 * Reports the longest /livez answer (the event-loop stall), the rescan time
 * and serve's RSS. Prints a markdown table. Timings live here, never in tests.
 */
import { join } from "node:path";

const RESOURCES = Number(Deno.args[0] ?? 450_000);
const dir = await Deno.makeTempDir({ prefix: "inventory-bench-" });
const main = new URL("../main.ts", import.meta.url).pathname;

try {
  const file = join(dir, "111111111111", "us-east-1.json");
  await Deno.mkdir(join(dir, "111111111111"));
  const bytes = await writeInventory(file, RESOURCES);
  const config = join(dir, "config.yaml");
  await Deno.writeTextFile(
    config,
    'aws_account_matrix:\n  - account_id: "111111111111"\n    regions: [us-east-1]\n' +
      "REQUIRED_TAGS: [environment, owner]\n",
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      main,
      "serve",
      "--config",
      config,
      "--inventory",
      dir,
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--log-format",
      "json",
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const nextLine = async (match: (l: Record<string, unknown>) => boolean) => {
    for (;;) {
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        const line = JSON.parse(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (match(line)) return line;
        continue;
      }
      const { value, done } = await lines.read();
      if (done) throw new Error("serve exited");
      buffered += value;
    }
  };
  const port = (await nextLine((l) => l.msg === "listening")).port as number;
  await nextLine((l) => String(l.msg).startsWith("scan finished"));
  const rssBefore = rss(child.pid);
  let worst = 0;
  let polls = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/livez`);
      await res.body?.cancel();
      worst = Math.max(worst, performance.now() - t0);
      polls++;
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t0 = performance.now();
  Deno.kill(child.pid, "SIGHUP");
  await nextLine((l) => String(l.msg).startsWith("scan finished"));
  const rescanSeconds = (performance.now() - t0) / 1000;
  polling = false;
  await poller;
  const after = rss(child.pid);
  child.kill("SIGTERM");
  await child.status;
  await lines.cancel().catch(() => {});
  console.log(
    `## serve re-reading a ${Math.round(bytes / 1e6)} MB inventory (${
      RESOURCES.toLocaleString("en-US")
    } resources, one account-region)\n`,
  );
  console.log(
    "| rescan s | /livez worst ms | /livez polls | RSS before MiB | RSS after MiB | peak RSS MiB |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|");
  console.log(
    `| ${rescanSeconds.toFixed(1)} | ${Math.round(worst)} | ${polls} | ${rssBefore.rss} | ` +
      `${after.rss} | ${after.peak} |\n`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}

/** A `get-resources` file of `n` resources with four tags each; returns its size. */
async function writeInventory(path: string, n: number): Promise<number> {
  using f = await Deno.open(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let size = 0;
  const put = async (s: string) => {
    const b = enc.encode(s);
    size += b.length;
    for (let off = 0; off < b.length;) off += await f.write(b.subarray(off));
  };
  await put('{\n  "ResourceTagMappingList": [\n');
  let chunk = "";
  for (let i = 0; i < n; i++) {
    const id = i.toString(16).padStart(17, "0");
    const tags = [
      `{"Key": "Name", "Value": "resource-${i}"}`,
      `{"Key": "environment", "Value": "${i % 5 ? "prod" : "dev"}"}`,
      `{"Key": "cost-center", "Value": "cc-${i % 97}"}`,
      ...(i % 3 ? [`{"Key": "owner", "Value": "team-${i % 13}"}`] : []),
    ];
    chunk += `    {"ResourceARN": "arn:aws:ec2:us-east-1:111111111111:instance/i-${id}", ` +
      `"Tags": [${tags.join(", ")}]}${i + 1 < n ? "," : ""}\n`;
    if (chunk.length > 1 << 20) (await put(chunk), chunk = "");
  }
  await put(chunk + "  ]\n}\n");
  return size;
}

/** RSS and peak RSS (VmHWM) of a process in MiB, from /proc (through cat: Deno reads another's /proc only with -A). */
function rss(pid: number): { rss: number; peak: number } {
  const out = new Deno.Command("cat", { args: [`/proc/${pid}/status`] }).outputSync();
  const status = new TextDecoder().decode(out.stdout);
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(status)?.[1]);
  return { rss: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}
