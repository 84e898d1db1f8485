/**
 * The admin side under a campaign's weight: 100,000 registrations in PostgreSQL (BENCH_DATABASE_URL, its own schema,
 * dropped at the end), the server started as `npm start` would; the reports endpoint timed, the XLSX and CSV
 * exports streamed while the server's RSS is sampled. Results as a table and as JSON under bench/results/.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startServerProcess } from "../tests/support/serverProcess.js";

const registrationsWanted = Number(process.env.BENCH_ADMIN_REGISTRATIONS ?? 100_000);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const indicators = ["reading", "studyPlan", "studyTime", "encourageOthers", "digitalSkills", "foreignLanguage", "numeracy", "problemSolving", "relationships", "cooperation"];

const rssBytes = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
};

async function seed(client: pg.Client): Promise<void> {
  const communes = (await client.query<{ code: string; province_code: string }>("select code, province_code from communes order by code")).rows;
  const branches = (await client.query<{ id: string; commune_code: string }>("select id, commune_code from branches")).rows;
  await client.query("create temp table seed as select g, gen_random_uuid() as person_id, gen_random_uuid() as registration_id from generate_series(1, $1::int) g", [registrationsWanted]);
  await client.query(
    `insert into people (id, full_name, birth_year, gender, phone)
     select person_id, 'Người đăng ký số ' || g, 1950 + g % 55, case when g % 2 = 0 then 'male' else 'female' end, '+849' || lpad(g::text, 8, '0') from seed`,
  );
  await client.query(
    `insert into registrations (id, person_id, year, status, flow_id, flow_version, criteria_set_id, criteria_version, group_code, province_code, commune_code, branch_id, score, meets, submitted_at, decided_at, submission_round)
     select s.registration_id, s.person_id, 2026,
       (array['submitted','confirmed','confirmed','rejected','needs_info','draft'])[1 + s.g % 6],
       'registration', 1, 'default', 1,
       (array['resident','worker','official'])[1 + s.g % 3],
       c.province_code, c.code, b.id,
       80 + s.g % 20, s.g % 17 <> 0,
       case when s.g % 6 = 5 then null else now() - ((s.g % 30) || ' days')::interval end,
       case when s.g % 6 in (1, 2) then now() else null end,
       case when s.g % 6 = 5 then 0 else 1 end
     from seed s
     join (select code, province_code, row_number() over (order by code) - 1 as n from communes) c on c.n = s.g % $1
     left join (select id, commune_code, row_number() over (partition by commune_code order by id) as k from branches) b on b.commune_code = c.code and b.k = 1 and s.g % 4 <> 0`,
    [communes.length],
  );
  await client.query(
    `insert into registration_answers (registration_id, field, raw_text, value, points)
     select s.registration_id, 'criteria.' || i.id, 'Thường xuyên', '"often"'::jsonb, case when i.n = 1 and s.g % 17 = 0 then 4 else 9 end
     from seed s cross join unnest($1::text[]) with ordinality as i(id, n)`,
    [indicators],
  );
  await client.query("analyze");
  console.log(`  seeded ${registrationsWanted.toLocaleString("en")} registrations in ${communes.length} communes (${branches.length} branches)`);
}

async function timedDownload(url: string, token: string, pid: number): Promise<{ seconds: number; bytes: number; rssGrowthMb: number; peakRssMb: number }> {
  const baseline = rssBytes(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 50);
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  let bytes = 0;
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).length;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssBytes(pid));
  return { seconds, bytes, rssGrowthMb: (peak - baseline) / 2 ** 20, peakRssMb: peak / 2 ** 20 };
}

export async function runAdminBench(): Promise<void> {
  const schema = `bench_admin_${randomBytes(4).toString("hex")}`;
  const token = randomBytes(16).toString("hex");
  const environment = { PORT: "0", HOST: "127.0.0.1", DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DATA_DIR: "memory://", ADMIN_TOKEN: token, REGISTRATION_YEAR: "2026", LOG_LEVEL: "info" };
  console.log(`admin console (${registrationsWanted.toLocaleString("en")} registrations, PostgreSQL schema ${schema})`);
  const server = await startServerProcess(environment);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`set search_path to "${schema}"`);
    await seed(client);
    const reportTimes: number[] = [];
    for (let run = 0; run < 6; run++) {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/admin/reports?year=2026`, { headers: { authorization: `Bearer ${token}` } });
      const report = (await response.json()) as { totals: { registered: number } };
      reportTimes.push(performance.now() - started);
      if (run === 0 && report.totals.registered < registrationsWanted * 0.8) throw new Error(`the report counted ${report.totals.registered}`);
    }
    const warm = reportTimes.slice(1).sort((a, b) => a - b);
    const xlsx = await timedDownload(`${server.url}/api/admin/exports/registrations.xlsx?year=2026`, token, server.child.pid!);
    const csv = await timedDownload(`${server.url}/api/admin/exports/registrations.csv?year=2026`, token, server.child.pid!);
    const results = {
      date: new Date().toISOString(),
      registrations: registrationsWanted,
      reportsMs: { first: Math.round(reportTimes[0]!), median: Math.round(warm[Math.floor(warm.length / 2)]!), max: Math.round(warm.at(-1)!) },
      xlsx: { seconds: Number(xlsx.seconds.toFixed(2)), megabytes: Number((xlsx.bytes / 2 ** 20).toFixed(1)), rssGrowthMb: Math.round(xlsx.rssGrowthMb), peakRssMb: Math.round(xlsx.peakRssMb) },
      csv: { seconds: Number(csv.seconds.toFixed(2)), megabytes: Number((csv.bytes / 2 ** 20).toFixed(1)), rssGrowthMb: Math.round(csv.rssGrowthMb), peakRssMb: Math.round(csv.peakRssMb) },
    };
    console.table({
      "reports (ms)": { value: `${results.reportsMs.median} median, ${results.reportsMs.max} max, ${results.reportsMs.first} first`, target: "< 500" },
      "XLSX export (s)": { value: results.xlsx.seconds, target: "< 20" },
      "XLSX: server RSS growth (MB)": { value: results.xlsx.rssGrowthMb, target: "< 200" },
      "CSV export (s)": { value: results.csv.seconds, target: "" },
      "CSV: server RSS growth (MB)": { value: results.csv.rssGrowthMb, target: "" },
    });
    mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
    const file = new URL(`./results/admin-${results.date.slice(0, 10)}.json`, import.meta.url);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`  written to bench/results/admin-${results.date.slice(0, 10)}.json`);
  } finally {
    await client.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await client.end();
    await server.stop();
  }
}
