import { postWebhook, type SignedWebhook } from "./signWebhooks.js";

/** Where a fake platform posts its echoes: webhook URLs tried in turn (a refused one is retried on the next). */
export type EchoTarget = { urls: () => string[] };

/**
 * Posts a fake platform's echo webhooks as the platform does: after the send was accepted, not awaited by the send,
 * and again (on the next URL) until a server answers 200, as the platforms retry failed webhook deliveries.
 */
export class EchoSender {
  private target: EchoTarget | null = null;
  private readonly underWay = new Set<Promise<void>>();
  /** Echoes no server accepted after every try. */
  undelivered = 0;
  delivered = 0;

  enable(target: EchoTarget | null): void {
    this.target = target;
  }

  get enabled(): boolean {
    return this.target !== null;
  }

  post(sign: () => SignedWebhook): void {
    const target = this.target;
    if (!target) return;
    const webhook = sign();
    const delivery = (async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const urls = target.urls();
        const url = urls[attempt % urls.length];
        if (url) {
          try {
            if ((await postWebhook(url, webhook)).status === 200) {
              this.delivered++;
              return;
            }
          } catch {
            // a server that is gone: the platform tries again
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      this.undelivered++;
    })();
    this.underWay.add(delivery);
    void delivery.finally(() => this.underWay.delete(delivery));
  }

  /** Resolves when every echo posted so far was delivered or given up. */
  async settled(): Promise<void> {
    while (this.underWay.size > 0) await Promise.all([...this.underWay]);
  }
}
