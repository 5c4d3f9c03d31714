/**
 * A throwaway certificate authority and a certificate for localhost and
 * 127.0.0.1 signed by it, made with openssl, for tests that serve HTTPS and
 * make a client trust it (`DENO_CERT`, `Deno.createHttpClient({ caCerts })`).
 */
import { join } from "node:path";
import { findPeer, requirePeer } from "./peers.ts";

export const openssl = findPeer("openssl", "apt-get install openssl");

/** PEM files in `dir`: the CA's certificate, and the server's certificate and key. */
export interface TestCertificates {
  readonly caFile: string;
  readonly cert: string;
  readonly key: string;
}

export async function makeTestCa(dir: string): Promise<TestCertificates> {
  const run = async (args: string[]) => {
    const out = await new Deno.Command(requirePeer(openssl), {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    }
  };
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await Deno.writeTextFile(join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  await run([
    "req",
    "-x509",
    ...key,
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "1",
    "-subj",
    "/CN=test CA",
  ]);
  await run(["req", ...key, "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=localhost"]);
  await run([
    "x509",
    "-req",
    "-in",
    "tls.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "tls.crt",
    "-days",
    "1",
    "-extfile",
    "san.ext",
  ]);
  return {
    caFile: join(dir, "ca.crt"),
    cert: await Deno.readTextFile(join(dir, "tls.crt")),
    key: await Deno.readTextFile(join(dir, "tls.key")),
  };
}
