import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, WebchatClient } from "../support/serverProcess.js";

// `npm start` with no environment: embedded PGlite in DATA_DIR, no Redis. Only the port and the data folder are
// chosen here so the test can run beside others.
const dataDir = mkdtempSync(join(tmpdir(), "lca-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start with no environment", () => {
  it("answers /healthz, takes a registration on /chat, and still has it after a restart", async () => {
    const environment = { PORT: "0", DATA_DIR: dataDir };
    const first = await startServerProcess(environment);
    try {
      expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ status: "ok" });
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      expect(await (await fetch(`${first.url}/chat`)).text()).toMatch(/Trợ lý Công dân học tập/);
      expect(first.logs.join("\n")).toMatch(/REDIS_URL is not set/);
      const visitor = new WebchatClient(first.url);
      const answers = ["đăng ký", "đồng ý", "Phú Thọ", "Vĩnh Phú", "Không có ở đây", "Thôn Đông", "Lê Thị Mai", "1968", "nữ", "bỏ qua", "người lao động", "hằng ngày", "có, đã ghi rõ", "4 tiếng", "thường xuyên", "tra cứu, xem video", "công việc không cần", "thường xuyên", "thường xuyên", "hòa thuận", "thường xuyên", "Học sử dụng máy tính"];
      for (const answer of answers) await visitor.says(answer);
      expect(await visitor.says("gửi")).toMatch(/Đã gửi/);
      await first.stop();

      const second = await startServerProcess(environment);
      try {
        const again = new WebchatClient(second.url);
        again.cookie = visitor.cookie;
        expect(await again.says("trạng thái")).toMatch(/đã gửi, đang chờ Hội Khuyến học xã xếp chi hội và xác nhận/);
        expect(await again.says("dữ liệu của tôi")).toMatch(/Lê Thị Mai/);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
