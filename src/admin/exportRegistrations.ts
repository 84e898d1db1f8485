import { once } from "node:events";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { and, asc, gt, inArray, like } from "drizzle-orm";
import { registrationAnswers, registrations } from "../../db/schema.js";
import { findCriteriaSet, type FlowCatalog } from "../conversation/flowDefinitions.js";
import { indicatorIdOf } from "../conversation/sessionState.js";
import { scoreRegistration } from "../domain/scoring.js";
import { translateOr, type Translate } from "../i18n.js";
import type { Executor } from "../persistence/people.js";
import { formatDay } from "./formatting.js";
import { registrationConditions, selectRegistrationRows, type RegistrationFilter } from "./registrationQueries.js";
import { mayReadPhones, type Actor } from "./scope.js";

type Cell = string | number | null;

/** How many registrations are read per round trip: memory stays flat however many there are. */
const batchSize = 1000;
const indicatorColumns = 10;

/** The headers of the file congdanhoctap.vn's fields map onto, in Vietnamese; the phone only for roles that may read it. */
export function exportHeaders(actor: Actor, translate: Translate): string[] {
  const t = (key: string, params?: Record<string, string | number>) => translate("vi", `admin:export.${key}`, params);
  return [
    t("id"),
    t("fullName"),
    t("gender"),
    t("birthYear"),
    ...(mayReadPhones(actor) ? [t("phone")] : []),
    t("province"),
    t("commune"),
    t("branch"),
    t("group"),
    t("criterion", { n: 1 }),
    t("criterion", { n: 2 }),
    t("criterion", { n: 3 }),
    ...Array.from({ length: indicatorColumns }, (_, index) => t("indicator", { n: index + 1 })),
    t("total"),
    t("result"),
    t("status"),
    t("submittedAt"),
    t("confirmedAt"),
    t("year"),
  ];
}

/** Every registration in the actor's scope that matches the filter, as rows of cells, read in batches by id. */
export async function* registrationExportRows(db: Executor, catalog: FlowCatalog, actor: Actor, filter: RegistrationFilter, translate: Translate): AsyncGenerator<Cell[]> {
  const label = (key: string, fallback: string | null) => (fallback ? translateOr(translate, "vi", key, fallback) : "");
  const phones = mayReadPhones(actor);
  let after: string | null = null;
  for (;;) {
    const rows = await selectRegistrationRows(db)
      .where(and(registrationConditions(actor, filter), after ? gt(registrations.id, after) : undefined))
      .orderBy(asc(registrations.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? null;
    const answers = await db
      .select({ registrationId: registrationAnswers.registrationId, field: registrationAnswers.field, points: registrationAnswers.points })
      .from(registrationAnswers)
      .where(and(inArray(registrationAnswers.registrationId, rows.map((row) => row.id)), like(registrationAnswers.field, "criteria.%")));
    const pointsOf = new Map<string, Record<string, number | null>>();
    for (const answer of answers) {
      const points = pointsOf.get(answer.registrationId) ?? {};
      points[indicatorIdOf(answer.field)] = answer.points;
      pointsOf.set(answer.registrationId, points);
    }
    for (const row of rows) {
      const set = row.criteriaSetId && row.criteriaVersion !== null ? findCriteriaSet(catalog, row.criteriaSetId, row.criteriaVersion) : undefined;
      const points = pointsOf.get(row.id) ?? {};
      const byCriterion = set ? scoreRegistration(set, points).byCriterion : [];
      const criterionPoints = [1, 2, 3].map((criterion) => byCriterion.find((entry) => entry.criterion === criterion)?.points ?? null);
      const indicatorPoints = Array.from({ length: indicatorColumns }, (_, index) => {
        const indicator = set?.indicators[index];
        return indicator ? (points[indicator.id] ?? null) : null;
      });
      const handedIn = row.status !== "draft" && row.status !== "cancelled";
      yield [
        row.id,
        row.fullName ?? "",
        label(`admin:gender.${row.gender}`, row.gender),
        row.birthYear,
        ...(phones ? [row.phone ?? ""] : []),
        row.provinceName ?? "",
        row.communeName ?? "",
        row.branchName ?? "",
        label(`flow:registration.group.options.${row.group}`, row.group),
        ...criterionPoints,
        ...indicatorPoints,
        handedIn ? row.score : null,
        handedIn && row.meets !== null ? translate("vi", row.meets ? "admin:result.meets" : "admin:result.notMeets") : "",
        translate("vi", `admin:status.${row.status}`),
        row.submittedAt ? formatDay(row.submittedAt) : "",
        row.status === "confirmed" && row.decidedAt ? formatDay(row.decidedAt) : "",
        row.year,
      ];
    }
    if (rows.length < batchSize) return;
  }
}

/** A cell as CSV: quoted when needed, and a leading = + - @ defused so a spreadsheet never runs it as a formula. */
function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

/** CSV for Excel: UTF-8 with a byte-order mark (else Excel reads Vietnamese as mojibake), CRLF line ends. */
export async function writeCsv(out: Writable, headers: string[], rows: AsyncIterable<Cell[]>): Promise<number> {
  let count = 0;
  let buffer = `\uFEFF${headers.map(csvCell).join(",")}\r\n`;
  for await (const row of rows) {
    buffer += `${row.map(csvCell).join(",")}\r\n`;
    count++;
    if (buffer.length > 64_000) {
      await write(out, buffer);
      buffer = "";
    }
  }
  await write(out, buffer);
  out.end();
  return count;
}

/** XLSX through exceljs's streaming writer: each row is committed (written out) as soon as it is made. */
export async function writeXlsx(out: Writable, headers: string[], rows: AsyncIterable<Cell[]>, sheetName: string): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = headers.map((header) => ({ header, width: Math.min(40, Math.max(10, header.length + 2)) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let count = 0;
  for await (const row of rows) {
    sheet.addRow(row).commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
