/** The mTLS tests' openssl peer, certificates it made, and a GET through a client certificate. */
import { join } from "node:path";
import { makeCertificates, PKI } from "./certificates.ts";
import { findPeer, requirePeer } from "./peers.ts";
import { scratch } from "./serve_process.ts";

export const openssl = findPeer("openssl", "apt-get install openssl");

/** Certificates in a scratch directory, read; removed by `close`. */
export async function pki() {
  const dir = await scratch();
  await makeCertificates(dir, requirePeer(openssl));
  const read = (f: string) => Deno.readTextFileSync(join(dir, f));
  const clients = {
    none: { caCerts: [read(PKI.ca)] },
    trusted: { caCerts: [read(PKI.ca)], cert: read(PKI.clientCert), key: read(PKI.clientKey) },
    stranger: { caCerts: [read(PKI.ca)], cert: read(PKI.strangerCert), key: read(PKI.strangerKey) },
  };
  return { dir, read, clients, close: () => Deno.remove(dir, { recursive: true }) };
}

/** GETs `url` with a client presenting `client`'s certificate: the status, or "refused". */
export async function fetchAs(
  url: string,
  opts: Deno.CreateHttpClientOptions,
): Promise<number | "refused"> {
  using client = Deno.createHttpClient(opts);
  try {
    const res = await fetch(url, { client });
    await res.body?.cancel();
    return res.status;
  } catch {
    return "refused";
  }
}
