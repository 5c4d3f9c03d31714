import type { StatusDocument } from "./status.ts";

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A small, readable HTML view of the status document for people with a
 * browser. Every value is escaped: account names, tag names and error
 * messages come from config and AWS and may hold markup.
 */
export function statusHtml(doc: StatusDocument): string {
  const e = escapeHtml;
  const row = (cells: unknown[], tag = "td") =>
    `<tr>${cells.map((c) => `<${tag}>${e(c)}</${tag}>`).join("")}</tr>`;
  const pct = (n: number | null | undefined) => n == null ? "-" : `${n.toFixed(1)}%`;
  const last = doc.scans.last;
  const summary: [string, unknown][] = [
    ["Version", doc.version],
    ["Started", doc.started_at],
    ["Ready", doc.ready ? "yes" : "no (no scan has completed)"],
    ["Health", doc.health_error === null ? doc.health : `${doc.health}: ${doc.health_error}`],
    ["Schedule", doc.config.schedule],
    ["Scan running", doc.scans.running ? `yes, since ${doc.scans.running_since}` : "no"],
    ["Last scan", last ? `${last.outcome}, ${last.finished_at} (${last.duration_seconds}s)` : "-"],
    ["Next scan", doc.scans.next_scan_at ?? "-"],
    ["Scans completed / skipped", `${doc.scans.completed} / ${doc.scans.skipped}`],
    ["Data from scan finished at", doc.data?.scan_finished_at ?? "-"],
    ["Resources scanned", doc.data?.totals?.resources_scanned ?? "-"],
    ["Fully compliant", pct(doc.data?.totals?.compliance_percentage)],
    ["Detail series", doc.data?.detail_series ?? "-"],
  ];
  if (doc.failed_targets.length > 0) {
    summary.splice(4, 0, [
      "Failed targets",
      doc.failed_targets.map((t) =>
        `${t.account_id} (${t.account_name}) ${t.region}: ${t.error_code}`
      ).join("; "),
    ]);
  }
  const totals = doc.data?.totals;
  if (totals?.resources_untagged !== undefined) {
    summary.push([
      "Never-tagged resources (Resource Explorer)",
      `${totals.resources_untagged} counted; coverage in ${totals.untagged_covered_targets} of ` +
      `${totals.targets - totals.targets_failed} account-regions`,
    ]);
  }
  const discovery = doc.discovery;
  const org = discovery?.organization;
  if (org) {
    summary.push([
      "AWS Organizations discovery",
      org.ok
        ? `ok at ${org.finished_at} (${org.duration_seconds}s)`
        : `FAILED at ${org.finished_at}: ${org.error} (scanning ${
          org.fallback === "last" ? "the last list discovered" : "the matrix accounts only"
        })`,
    ]);
  }
  const targets = (doc.data?.targets ?? []).map((t) =>
    row([
      t.account_id,
      t.account_name,
      t.region,
      t.ok ? "ok" : "FAILED",
      t.resources_scanned ?? "-",
      pct(t.compliance_percentage),
      `${t.duration_seconds}s`,
      t.ok
        ? t.untagged?.up === false
          ? `never-tagged not counted: ${t.untagged.error_code}: ${t.untagged.error}`
          : ""
        : `${t.error_code}: ${t.error}`,
    ])
  );
  const c = doc.config;
  const rules = c.tag_rules === undefined && !c.aws_tag_policy ? "" : `<h2>Tag rules</h2>
<p>Key case ${e(c.key_case ?? "exact")}; prohibited tags ${
    e(c.prohibited_tags?.length ? c.prohibited_tags.join(", ") : "none")
  }${c.aws_tag_policy ? "; AWS tag policy verdicts exported" : ""}.</p>
<table>${row(["Tag", "Allowed values", "Pattern", "Ignore value case", "Allow empty"], "th")}${
    (c.tag_rules ?? []).map((r) =>
      row([
        r.tag,
        r.allowed_values?.join(", ") ?? "-",
        r.pattern ?? "-",
        r.ignore_value_case ? "yes" : "no",
        r.allow_empty ? "yes" : "no",
      ])
    ).join("")
  }</table>
`;
  const accounts = doc.config.accounts.map((a) =>
    row([a.account_id, a.account_name, a.regions.join(", "), a.role_arn ?? "base credentials"])
  );
  const planned = (discovery?.accounts ?? []).map((a) =>
    row([
      a.account_id,
      a.account_name,
      a.source,
      a.regions.join(", ") || "-",
      a.role_arn ?? "base credentials",
      a.error ?? "",
    ])
  );
  const plannedTable = discovery === undefined ? "" : `
<h2>Accounts of the last scan</h2>
<table>${row(["Account", "Name", "Source", "Regions", "Role", "Error"], "th")}${
    planned.join("")
  }</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aws-tag-exporter</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}
th{background:#f3f3f3}</style></head><body>
<h1>aws-tag-exporter</h1>
<p><a href="${e(doc.config.metrics_path)}">${
    e(doc.config.metrics_path)
  }</a> · <a href="/health">/health</a> · <a href="/ready">/ready</a> · <a href="/livez">/livez</a></p>
<table>${summary.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join("")}</table>
<h2>Targets</h2>
<table>${
    row(
      ["Account", "Name", "Region", "Status", "Resources", "Compliant", "Duration", "Error"],
      "th",
    )
  }${targets.join("")}</table>${plannedTable}
<h2>Configuration</h2>
<p>File ${e(doc.config.file)}; source ${e(doc.config.source)}; required tags ${
    e(doc.config.required_tags.join(", "))
  }${typeAndLabels(doc.config)}.</p>
<table>${row(["Account", "Name", "Regions", "Role"], "th")}${accounts.join("")}</table>
${rules}</body></html>
`;
}

/** `; resource types service:type; labels org="acme"`, for what is set. */
function typeAndLabels(
  c: { resource_type_format?: string; exporter_labels?: Readonly<Record<string, string>> },
): string {
  const labels = Object.entries(c.exporter_labels ?? {})
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
  return (c.resource_type_format === "service" ? "; resource types service:type" : "") +
    (labels ? `; labels on every series ${escapeHtml(labels)}` : "");
}
