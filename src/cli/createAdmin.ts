import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { createAccount } from "../admin/accountStore.js";
import { accountBody, issueLines } from "../admin/requestSchemas.js";
import { tokenActor } from "../admin/scope.js";
import { loadConfig } from "../config.js";
import { createTranslator } from "../i18n.js";
import { migrate } from "../persistence/migrate.js";
import { openDatabase } from "../persistence/openDatabase.js";
import { seedReferenceData } from "../persistence/seedReferenceData.js";

/**
 * npm run admin:create -- --email a@b.vn --role national|province|commune [--province …] [--commune …]
 * Asks for the password without echoing it (or reads one line from standard input when that is not a terminal).
 */
const usage = "usage: npm run admin:create -- --email <email> --role national|province|commune [--province <name or code>] [--commune <name or code>]";

async function readPassword(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const lines = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  return new Promise((resolve) => {
    lines.question(prompt, (answer) => {
      lines.close();
      if (process.stdin.isTTY) process.stdout.write("\n");
      resolve(answer);
    });
    muted = process.stdin.isTTY === true;
  });
}

const { values } = parseArgs({ options: { email: { type: "string" }, role: { type: "string" }, province: { type: "string" }, commune: { type: "string" } } });
if (!values.email || !values.role) {
  console.error(usage);
  process.exit(2);
}
const password = await readPassword("Mật khẩu (ít nhất 10 ký tự): ");
if (process.stdin.isTTY && (await readPassword("Nhập lại mật khẩu: ")) !== password) {
  console.error("the two passwords differ");
  process.exit(2);
}
const input = accountBody.safeParse({ ...values, password });
if (!input.success) {
  console.error(issueLines(input.error).join("\n"));
  console.error(usage);
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, schemaName: config.DATABASE_SCHEMA });
try {
  await migrate(database);
  await seedReferenceData(database.db);
  const result = await createAccount(database.db, { ...tokenActor, label: "npm run admin:create" }, input.data);
  switch (result.status) {
    case "created":
      console.log(`created ${result.account.role} account ${result.account.email}${result.account.commune ? ` for ${result.account.commune.name}` : result.account.province ? ` for ${result.account.province.name}` : ""}`);
      break;
    case "placeNotFound":
      console.error(`${result.field} not found; candidates: ${result.candidates.map((candidate) => `${candidate.name} (${candidate.code})`).join("; ")}`);
      process.exitCode = 1;
      break;
    case "duplicate":
      console.error("an account with this e-mail exists");
      process.exitCode = 1;
      break;
    default:
      console.error(createTranslator().translate("vi", `admin:accounts.refused.${result.reason}`));
      process.exitCode = 1;
  }
} finally {
  await database.close();
}
