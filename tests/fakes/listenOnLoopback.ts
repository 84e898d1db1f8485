import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";

export type LoopbackServer = { url: string; port: number; close(): Promise<void> };

/** Serves an Express app (or any listener) on 127.0.0.1 with a port chosen by the OS. */
export async function listenOnLoopback(app: RequestListener): Promise<LoopbackServer> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
