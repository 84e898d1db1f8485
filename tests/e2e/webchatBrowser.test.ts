import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
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

  it("on a 360×640 phone: no keyboard over the first buttons, choices unlike Send, used ones inactive, both languages, a way back after deleting", async () => {
    const screens = process.env.SCREENSHOT_DIR ?? join(tmpdir(), "lca-webchat-screens");
    mkdirSync(screens, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/chat`);
    await page.waitForSelector(".buttons button:not([disabled])");
    // The on-screen keyboard stays closed until the person taps the box.
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe("text");
    const look = (selector: string) =>
      page.locator(selector).first().evaluate((element) => {
        const style = getComputedStyle(element);
        return { radius: style.borderTopLeftRadius, background: style.backgroundColor };
      });
    const choice = await look(".buttons button:not([disabled])");
    const sendButton = await look("#send");
    expect(choice.background).not.toBe(sendButton.background);
    expect(choice.radius).not.toBe(sendButton.radius);
    await page.screenshot({ path: join(screens, "webchat-360-start.png") });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

    await tap(page, "Đồng ý");
    const used = page.locator(".buttons button.chosen");
    expect(await used.innerText()).toMatch(/Đồng ý/);
    expect(await used.isDisabled()).toBe(true);
    expect(await page.locator(".buttons button:has-text('Không đồng ý')").first().isDisabled()).toBe(true);

    // The page's own words follow the language, and so does the conversation.
    await page.click("#language");
    await page.waitForSelector("body[data-state=idle]");
    expect(await page.getAttribute("#text", "placeholder")).toMatch(/answer/i);
    expect(await page.locator("#send").innerText()).toBe("Send");
    await expect.poll(() => page.locator(".bubble.bot").last().innerText()).toMatch(/province|city/i);
    await page.screenshot({ path: join(screens, "webchat-360-english.png") });
    // Loaded again, the server already renders it in English (the page keeps the choice in a cookie).
    expect(await (await page.request.get(`${server.url}/chat`)).text()).toMatch(/<html lang="en">[\s\S]*<h1 data-word="title">Learning Citizen Assistant<\/h1>/);
    await page.reload();
    await page.waitForSelector("body[data-state=idle]");
    expect(await page.locator("h1").innerText()).toBe("Learning Citizen Assistant");
    await page.screenshot({ path: join(screens, "webchat-360-english-reloaded.png") });
    await page.click("#language");
    await page.waitForSelector("body[data-state=idle]");
    expect(await page.locator("#send").innerText()).toBe("Gửi");

    await type(page, "xóa dữ liệu");
    await tap(page, "Xóa hết");
    await expect.poll(() => page.locator(".bubble.bot").last().innerText()).toMatch(/Đã xóa/);
    await tap(page, "Đăng ký lại");
    await expect.poll(() => page.locator("main").innerText()).toMatch(/có đồng ý/i);
    await page.screenshot({ path: join(screens, "webchat-360-again.png"), fullPage: true });
    await context.close();
  });
});
