import { createRequire } from "node:module";
import type { Writable } from "node:stream";
import PDFDocument from "pdfkit";
import QRCode from "qrcode";
import type { Translate } from "../i18n.js";

const require = createRequire(import.meta.url);
/** Noto Sans (OFL) has every Vietnamese letter with its tones; PDFKit needs whole TTF files, which this package ships. */
const fonts = {
  regular: require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
};

export type PosterChannel = "zalo" | "messenger" | "web";

export type DeepLink = { channel: PosterChannel; url: string };

export type DeepLinkConfig = { messengerPageId?: string | undefined; zaloOaId?: string | undefined; publicUrl?: string | undefined; webchatEnabled: boolean };

/**
 * The links a branch's citizens open to register, one per configured channel. Messenger carries the branch code in
 * its ref (the start event pre-selects the branch); Zalo OA links carry none, so the poster also says "dk <code>".
 */
export function branchDeepLinks(config: DeepLinkConfig, branchCode: string): DeepLink[] {
  const links: DeepLink[] = [];
  if (config.zaloOaId) links.push({ channel: "zalo", url: `https://zalo.me/${encodeURIComponent(config.zaloOaId)}` });
  if (config.messengerPageId) links.push({ channel: "messenger", url: `https://m.me/${encodeURIComponent(config.messengerPageId)}?ref=dk_${encodeURIComponent(branchCode)}` });
  if (config.webchatEnabled && config.publicUrl) links.push({ channel: "web", url: `${config.publicUrl.replace(/\/+$/, "")}/chat` });
  return links;
}

export const qrPng = (url: string, width = 512): Promise<Buffer> => QRCode.toBuffer(url, { type: "png", errorCorrectionLevel: "M", margin: 2, width });

export type PosterBranch = { code: string; name: string; communeName: string; provinceName: string };

/** An A4 poster: who it is for, the QR code of each channel, the branch code and how to register in three ways. */
export async function writePosterPdf(out: Writable, branch: PosterBranch, links: DeepLink[], translate: Translate): Promise<void> {
  const t = (key: string, params?: Record<string, string | number>) => translate("vi", `admin:poster.${key}`, params);
  const doc = new PDFDocument({ size: "A4", margin: 48, info: { Title: t("title"), Author: t("author") } });
  doc.registerFont("regular", fonts.regular);
  doc.registerFont("bold", fonts.bold);
  doc.pipe(out);
  const width = doc.page.width - 96;
  doc.font("bold").fontSize(30).fillColor("#0b5394").text(t("title"), { align: "center", width });
  doc.moveDown(0.3);
  doc.font("regular").fontSize(16).fillColor("#222222").text(t("subtitle"), { align: "center", width });
  doc.moveDown(0.8);
  doc.font("bold").fontSize(18).text(branch.name, { align: "center", width });
  const place = branch.communeName.includes(branch.provinceName) ? branch.communeName : `${branch.communeName}, ${branch.provinceName}`;
  doc.font("regular").fontSize(14).text(place, { align: "center", width });
  doc.moveDown(1);

  const shown = links.slice(0, 3);
  if (shown.length > 0) {
    const size = shown.length === 1 ? 220 : shown.length === 2 ? 190 : 150;
    const gap = (width - size * shown.length) / (shown.length + 1);
    const top = doc.y;
    for (const [index, link] of shown.entries()) {
      const x = 48 + gap + index * (size + gap);
      doc.image(await qrPng(link.url, 600), x, top, { width: size, height: size });
      doc.font("bold").fontSize(13).text(t(`channel.${link.channel}`), x - 10, top + size + 6, { width: size + 20, align: "center" });
    }
    doc.x = 48;
    doc.y = top + size + 34;
  }
  doc.moveDown(0.5);
  doc.font("regular").fontSize(15).text(t("codeLabel"), { align: "center", width });
  doc.font("bold").fontSize(40).fillColor("#b45f06").text(branch.code, { align: "center", width });
  doc.fillColor("#222222").moveDown(0.6);
  doc.font("bold").fontSize(17).text(t("howTitle"), { width });
  doc.font("regular").fontSize(15);
  const steps = [
    ...(links.some((link) => link.channel === "zalo") ? [t("howZalo", { code: branch.code })] : []),
    ...(links.some((link) => link.channel === "messenger") ? [t("howMessenger")] : []),
    t(links.length > 0 ? "howType" : "howTypeOnly", { code: branch.code }),
    t("howAnswer"),
  ];
  doc.list(steps, { bulletRadius: 3, textIndent: 14, bulletIndent: 4, width, paragraphGap: 4 });
  doc.moveDown(0.8);
  doc.fontSize(11).fillColor("#555555").text(t("privacy"), { width });
  doc.end();
  await new Promise<void>((resolve, reject) => {
    out.once("finish", resolve);
    out.once("error", reject);
  });
}
