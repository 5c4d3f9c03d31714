/**
 * Test certificates made by the real `openssl`: a CA, a server certificate
 * for 127.0.0.1 signed by it (rustls rejects a CA as the leaf), and client
 * certificates signed by that CA and by another one.
 */
import { join } from "node:path";

const decoder = new TextDecoder();

/** What `makeCertificates` writes into its directory, by file name. */
export const PKI = {
  ca: "ca.crt",
  serverCert: "server.crt",
  serverKey: "server.key",
  /** A client certificate signed by `ca`. */
  clientCert: "client.crt",
  clientKey: "client.key",
  /** A client certificate signed by a CA the server does not trust. */
  strangerCert: "stranger.crt",
  strangerKey: "stranger.key",
} as const;

/**
 * Writes the files of `PKI` into `dir`, each key a fresh unencrypted P-256
 * key, valid for a day. `openssl` is the path of the openssl binary.
 */
export async function makeCertificates(dir: string, openssl: string): Promise<void> {
  const run = async (...args: string[]) => {
    const out = await new Deno.Command(openssl, {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(`openssl ${args[0]}: ${decoder.decode(out.stderr)}`);
  };
  await Deno.writeTextFile(join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  await Deno.writeTextFile(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const ca = async (name: string, cn: string) =>
    await run(
      "req",
      "-x509",
      ...newKey,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.crt`,
      "-days",
      "1",
      "-subj",
      `/CN=${cn}`,
    );
  const leaf = async (name: string, cn: string, signer: string, ext: string) => {
    await run(
      "req",
      ...newKey,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.csr`,
      "-subj",
      `/CN=${cn}`,
    );
    await run(
      "x509",
      ...["-req", "-in", `${name}.csr`, "-CA", `${signer}.crt`, "-CAkey", `${signer}.key`],
      ...["-CAcreateserial", "-out", `${name}.crt`, "-days", "1", "-extfile", ext],
    );
  };
  await ca("ca", "serve test CA");
  await ca("other-ca", "another CA");
  await leaf("server", "127.0.0.1", "ca", "server.ext");
  await leaf("client", "prometheus", "ca", "client.ext");
  await leaf("stranger", "prometheus", "other-ca", "client.ext");
}
