import { createPrivateKey, X509Certificate } from "node:crypto";
import { Duplex } from "node:stream";
import tls from "node:tls";
import { clientVerdict, type WebTls } from "./tls_settings.ts";

/**
 * A connection's bytes as the HTTP/1.1 loop reads and writes them; a
 * `Deno.Conn` is one.
 */
export interface ByteConn {
  read(p: Uint8Array): Promise<number | null>;
  write(p: Uint8Array): Promise<number>;
  close(): void;
}

type Settings = Pick<WebTls, "cert" | "key" | "clientAuth" | "clientCa" | "minVersion">;

/**
 * TLS with client certificates and a minimum version, which `Deno.listenTls`
 * cannot do (Deno 2.9: no `requestCert`, no CA, no version option; denoland/
 * deno#26825), over connections that serve's own accept loop took from
 * `Deno.listen`, so a failed accept stays non-fatal. Each connection is
 * handed to a node:tls server that never listens (node's documented
 * `server.emit("connection", socket)`); Deno's node:tls runs rustls with a
 * client-certificate verifier built from `ca` (denoland/deno#33439), and
 * `clientVerdict` applies `client_auth_type` to what the handshake showed
 * (`authorized`: the certificate chains to `client_ca_file`).
 *
 * @example
 * const secure = new ClientTls(web.tls);
 * const io = await secure.accept(conn); // rejects when the client is refused
 */
export class ClientTls {
  readonly #options: tls.TlsOptions;

  /** Throws when the key does not parse or does not match the certificate. */
  constructor(readonly settings: Settings) {
    const key = createPrivateKey(settings.key);
    if (!new X509Certificate(settings.cert).checkPrivateKey(key)) {
      throw new Error("the private key does not match the certificate");
    }
    const verify = settings.clientAuth !== "NoClientCert";
    this.#options = {
      cert: settings.cert,
      key: settings.key,
      ...(settings.clientCa === null ? {} : { ca: settings.clientCa }),
      minVersion: settings.minVersion === "TLS13" ? "TLSv1.3" : "TLSv1.2",
      ALPNProtocols: ["http/1.1"],
      requestCert: verify,
      // rustls then refuses a missing certificate in the handshake itself; every
      // other case is decided by clientVerdict once the handshake is done.
      rejectUnauthorized: settings.clientAuth === "RequireAndVerifyClientCert",
    };
  }

  /**
   * Runs the handshake over `conn` and applies the client policy. Rejects when
   * the handshake fails, the client is refused, or `conn` closes first (the
   * connection guard's idle timeout bounds a handshake that never ends).
   */
  accept(conn: Deno.Conn): Promise<ByteConn> {
    // One server per connection: its events are this connection's alone.
    const server = tls.createServer(this.#options);
    const raw = Duplex.fromWeb({ readable: conn.readable, writable: conn.writable });
    raw.on("error", () => {}); // a reset connection: the TLS socket ends with it
    return new Promise((resolve, reject) => {
      server.once("secureConnection", (socket: tls.TLSSocket) => {
        socket.on("error", () => {}); // surfaced by the reads and writes of SocketConn
        const refused = clientVerdict(this.settings.clientAuth, {
          presented: socket.getPeerX509Certificate() !== undefined,
          authorized: socket.authorized,
        });
        if (refused === null) return resolve(new SocketConn(socket));
        socket.destroy();
        reject(new Error(refused));
      });
      server.once("tlsClientError", (e: Error) => reject(e));
      server.emit("connection", raw);
    });
  }
}

/** A node TLS socket read and written through `ByteConn`. */
class SocketConn implements ByteConn {
  readonly #chunks: AsyncIterator<Uint8Array>;
  #rest: Uint8Array | null = null;

  constructor(private readonly socket: tls.TLSSocket) {
    this.#chunks = socket[Symbol.asyncIterator]();
  }

  async read(p: Uint8Array): Promise<number | null> {
    if (this.#rest === null) {
      const next = await this.#chunks.next();
      if (next.done) return null;
      this.#rest = next.value;
    }
    const rest = this.#rest!;
    const n = Math.min(p.length, rest.length);
    p.set(rest.subarray(0, n));
    this.#rest = n === rest.length ? null : rest.subarray(n);
    return n;
  }

  write(p: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.socket.write(p, (e) => e ? reject(e) : resolve(p.length));
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
