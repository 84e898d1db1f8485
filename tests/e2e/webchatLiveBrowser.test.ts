import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser.js";
import { AdminClient } from "../support/adminClient.js";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.js";

// The web chat as people really use it: fifty messages typed while replies are pending all arrive, in order; a branch
// head's card and the head's decision reach the open pages without a reload.
const dataDir = mkdtempSync(join(tmpdir(), "lca-live-"));
const adminToken = "live-admin-token";
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  server = await startServerProcess({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, ADMIN_TOKEN: adminToken });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function open(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 760 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/chat`);
  await page.waitForSelector("body[data-state=idle]");
  return page;
}

async function type(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.click("#send");
}

async function settle(page: Page): Promise<void> {
  await page.waitForSelector("body[data-state=idle]");
}

/** The newest enabled button with exactly this title ("Đồng ý", not "Không đồng ý"). */
async function tap(page: Page, title: string): Promise<void> {
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  await page.locator(".buttons button:not([disabled])").filter({ hasText: exact }).last().click();
  await settle(page);
}

const botText = (page: Page) => page.locator(".bubble.bot").allInnerTexts().then((texts) => texts.join("\n"));

describe("the web chat, live", () => {
  it("sends fifty messages typed in a rush, all of them, in order", async () => {
    const page = await open();
    const typed = Array.from({ length: 50 }, (_, index) => `tin nhắn số ${index + 1}`);
    // Typed and sent faster than any reply comes back: every one is submitted while earlier ones are still pending.
    await page.evaluate((texts) => {
      const input = document.getElementById("text") as HTMLInputElement;
      const form = document.getElementById("composer") as HTMLFormElement;
      for (const text of texts) {
        input.value = text;
        form.requestSubmit();
      }
    }, typed);
    await settle(page);
    const history = await page.evaluate(async () => (await (await fetch("/chat/api/history")).json()) as { entries: { from: string; text: string }[] });
    expect(history.entries.filter((entry) => entry.from === "user").map((entry) => entry.text)).toEqual(typed);
    expect(await page.locator(".bubble.user").allInnerTexts()).toEqual(typed);
  });

  it("shows a head's card and the head's decision on the open pages without a reload", async () => {
    const admin = new AdminClient(server.url, adminToken);
    const branch = await admin.json<{ code: string; inviteCode: string }>("/api/admin/branches", { json: { province: "Phú Thọ", commune: "Vĩnh Phú", name: "Chi hội thôn Giữa" } });
    expect(branch.status).toBe(201);

    const head = await open();
    await type(head, `chihoi ${branch.body.inviteCode}`);
    await settle(head);
    await type(head, "Trần Thị Hoa");
    await settle(head);

    const citizen = await open();
    await type(citizen, `dk ${branch.body.code}`);
    await settle(citizen);
    await tap(citizen, "Đồng ý");
    for (const answer of ["Xóm Giữa", "Đỗ Văn Hùng", "1979"]) {
      await type(citizen, answer);
      await settle(citizen);
    }
    await tap(citizen, "Nam");
    await type(citizen, "0987 654 321");
    await settle(citizen);
    await tap(citizen, "Người lao động");
    for (const title of ["Hằng ngày", "Có, trong đầu"]) await tap(citizen, title);
    await type(citizen, "1 tiếng mỗi tối");
    await settle(citizen);
    for (const title of ["Thường xuyên", "Học, làm việc online", "Giao tiếp cơ bản", "Thường xuyên", "Thỉnh thoảng", "Hòa thuận", "Thường xuyên"]) await tap(citizen, title);
    await type(citizen, "Học lái máy gặt");
    await settle(citizen);
    await tap(citizen, "Gửi");

    // The head's page, left open, gets the card by itself; the decision reaches the citizen's open page.
    await expect.poll(() => botText(head), { timeout: 20_000 }).toMatch(/Đỗ Văn Hùng/);
    await tap(head, "Xác nhận");
    await expect.poll(() => botText(citizen), { timeout: 20_000 }).toMatch(/Chúc mừng bạn! Chi hội thôn Giữa đã xác nhận/);
  });
});
