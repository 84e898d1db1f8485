import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser.js";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.js";

const dataDir = mkdtempSync(join(tmpdir(), "lca-browser-"));
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServerProcess({ PORT: "0", DATA_DIR: dataDir });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function tap(page: Page, title: string) {
  await page.locator(".buttons button:not([disabled])", { hasText: title }).first().click();
  await page.waitForSelector("body[data-state=idle]");
}

async function type(page: Page, text: string) {
  await page.fill("#text", text);
  await page.click("#send");
  await page.waitForSelector("body[data-state=idle]");
}

describe("the web chat in a real browser", () => {
  it("completes a registration on a phone-sized screen", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 760 } });
    await page.goto(`${server.url}/chat`);
    await page.waitForSelector(".buttons button:not([disabled])");
    await expect.poll(() => page.locator(".bubble.bot").count()).toBeGreaterThan(1);
    const waitIdle = async (action: () => Promise<void>) => {
      await page.evaluate(() => (document.body.dataset.state = "busy"));
      await action();
    };
    await waitIdle(() => tap(page, "Đồng ý"));
    for (const answer of ["phu tho", "vinh phu"]) await waitIdle(() => type(page, answer));
    await waitIdle(() => tap(page, "Chi hội khuyến học thôn Tây"));
    for (const answer of ["Xóm Tây", "Đỗ Văn Hùng", "1979"]) await waitIdle(() => type(page, answer));
    await waitIdle(() => tap(page, "Nam"));
    await waitIdle(() => type(page, "0987 654 321"));
    await waitIdle(() => tap(page, "Người lao động"));
    await waitIdle(() => tap(page, "Hằng ngày"));
    await waitIdle(() => tap(page, "Có, trong đầu"));
    await waitIdle(() => type(page, "1 tiếng mỗi tối"));
    for (const title of ["Thường xuyên", "Học, làm việc online", "Giao tiếp cơ bản", "Thường xuyên", "Thỉnh thoảng", "Hòa thuận", "Thường xuyên"]) {
      await waitIdle(() => tap(page, title));
    }
    await waitIdle(() => type(page, "Học lái máy gặt đập liên hợp"));
    await expect.poll(() => page.locator("main").innerText()).toMatch(/Tổng điểm tự đánh giá: \d+\/100/);
    await waitIdle(() => tap(page, "Gửi"));
    await expect.poll(() => page.locator(".bubble.bot").last().innerText()).toMatch(/Đã gửi/);
    await page.screenshot({ path: join(dataDir, "webchat.png") });
    await page.reload();
    await expect.poll(() => page.locator("main").innerText()).toMatch(/Đã gửi/);
  });
});
