import { editDistance } from "./editDistance.js";
import { foldSaid } from "./foldKey.js";
import { heardAs } from "./heardSpelling.js";
import { splitRunTogether } from "./splitRunTogether.js";
import { stripWordsAround } from "./stripWordsAround.js";

export type GlobalCommand = "help" | "cancel" | "back" | "edit" | "status" | "myData" | "deleteData" | "language" | "register" | "remindersOff" | "remindersOn";

/**
 * Every phrase a pattern stands for: "(a|b) c (d|)" → "a c d", "a c", "b c d", "b c" (an empty choice leaves the
 * group out). Lets a command list the ways of saying it once, as a person combines them.
 */
export function expandPattern(pattern: string): string[] {
  const group = /\(([^()]*)\)/.exec(pattern);
  if (!group) return [pattern.replace(/\s+/g, " ").trim()];
  const [whole, choices = ""] = group;
  return choices.split("|").flatMap((choice) => expandPattern(pattern.replace(whole, choice)));
}

// Things of the person's a command acts on ("của tôi/em…" inside a command is taken off before the lookup).
const RECORD = "(ho so|dang ky|ho so dang ky|don|don dang ky|phieu dang ky)";
const MY_DATA = "(du lieu|thong tin|tai khoan|thong tin ca nhan|du lieu ca nhan|ho so ca nhan|thong tin da khai|nhung gi da khai|nhung gi (toi|em|minh) da khai)";

// Folded phrases (chat spellings already expanded: "dk" → "dang ky", "ko" → "khong").
const PATTERNS: Partial<Record<GlobalCommand, string[]>> = {
  back: [
    "back (lai|ve)",
    "(quay lai|tro lai|tro ve|quay ve|lui lai|ve) (cau|buoc|cau hoi|phan) (truoc( do|)|hoi nay|luc nay|vua roi|vua nay|ban nay)",
    // "em muốn sửa lại câu trước": the last answer, again.
    "(sua|sua lai|lam lai|tra loi lai|chon lai) (cau|cau hoi|cau tra loi) (truoc( do|)|vua roi|vua nay|luc nay|ban nay)", "(quay lai|tro lai|lui lai) (mot|1) (buoc|cau)",
    // "gõ nhầm rồi, quay lại": the last answer was a slip.
    "(lo |)(go|bam|chon|an|nhap|tra loi) (nham|sai)( roi|)( (quay lai|tro lai|sua lai|cho quay lai|cho sua lai|cho sua|muon sua|muon sua lai|can sua|can sua lai)|)", "nham roi( (quay lai|tro lai|sua lai)|)",
  ],
  help: [
    // Not "không biết dùng": that answers the phone-use question.
    "(khong biet|chua biet|khong hieu|chua hieu) (phai |)(lam|lam sao|lam the nao|lam gi|bam gi|bam nut nao|bam vao dau|tra loi|tra loi sao|tra loi the nao)",
    "(doc|nghe|xem) (khong|chua) hieu( gi|)",
    "(kho qua|kho hieu|kho hieu qua|phuc tap qua|roi qua|khong hieu gi|khong hieu gi ca|khong hieu gi het|khong hieu gi tron)",
    "(can|muon|xin|nho) (nguoi |ai |can bo |)(huong dan|giup|giup do|tro giup|chi)( voi| giup|)",
    "(khong|chua) hieu (hoi|noi|viet|bao|can) (gi|cai gi)( ca| het|)",
    // "câu này hỏi gì vậy", "câu này nghĩa là sao": what the question means.
    "(cau|cau nay|cau hoi|cau hoi nay|cho nay) (hoi|noi|nghia la|co nghia la|y la|muon hoi|hoi ve) (gi|sao|the nao|cai gi|la gi)",
    "(phai |nen |)(tra loi|chon|bam|ghi|nhap|dien|viet) (the nao|sao|nhu the nao|ra sao|cai gi|gi|vao dau|o dau)",
    // "không biết làm cái này", "nói lại cho tôi hiểu": this question, explained.
    "(khong biet|chua biet|khong hieu|chua hieu) (lam |tra loi |chon |)(cai nay|cau nay|cho nay|bai nay|cai nay la gi)",
    "(noi|giai thich|huong dan|noi ro) (lai |ro |ro hon |)(cho |)(toi |em |minh |chau |con |bac |)(hieu|voi|di|duoc khong)",
    // "làm sao để đăng ký", "chỉ em cách làm với": how to do it.
    "(lam sao|lam the nao|cach nao) (de |)(dang ky|lam)( duoc|)", "chi (toi |em |minh |chau |con |)(cach |)(lam|dang ky|tra loi)( voi| giup| di|)", "chi (toi|em|minh|chau|con|bac) (voi|giup|di|voi nhe|voi nha)",
    // Someone to talk to: the help says whom to ask.
    "(muon |can |cho |)(noi chuyen|gap|lien he|chat|nhan tin) (voi |cho |)(nguoi that|nhan vien|can bo|tong dai|tong dai vien|admin|quan tri vien|nguoi phu trach)",
  ],
  cancel: [
    "(thoi |bo di |thoi bo di |)(khong|khoi) (lam|dang ky|tra loi|tiep tuc) (nua|tiep nua)", "(thoi |bo di |)(khong|khoi) lam (tiep |)nua",
    // "thôi đăng ký" (stop registering); "thôi, tiếp tục đi" is "OK, go on".
    "(muon |)thoi (khong |)dang ky( nua|)",
    // "tôi rút đơn", "hủy hồ sơ": the registration withdrawn.
    "(rut|rut lai|xin rut|huy|huy bo|xin huy) " + RECORD,
  ],
  edit: [
    "(sua|sua lai|chinh sua|chinh lai|thay doi|doi|doi lai) (cac |may |cau |)(cau tra loi|thong tin|thong tin da khai|tra loi)",
    "(lam sao|lam the nao|cach|muon) (de |)(sua|sua lai|chinh sua|thay doi)( lai| thong tin| cau tra loi|)",
    // A field named ("cho tôi sửa lại tên"): in the registration it goes straight to that question (step.ts).
    "(sua|sua lai|chinh sua|chinh lai|thay doi|doi|doi lai) (lai |)(cai |phan |muc |)(ten|ho ten|ho va ten|nam sinh|ngay sinh|tuoi|so dien thoai|dien thoai|dia chi|noi o|cho o|xa|phuong|thon|gioi tinh|nhom|nghe nghiep)",
  ],
  status: [
    "(kiem tra|xem|xem lai|tra cuu) (trang thai|tinh trang|ket qua|) " + RECORD,
    "(biet |xem |hoi |)" + RECORD + "( cua toi| cua em| cua minh| toi| em| minh|) (den dau roi|toi dau roi|the nao roi|sao roi|ra sao roi|(da |)(duoc |)(duyet|xac nhan) chua|co duoc (duyet|xac nhan) khong)",
    "sao (toi |em |minh |)chua (duoc |)(duyet|xac nhan)( ho so| dang ky|)",
    "(status|trang thai|tinh trang) " + RECORD,
    "(biet|xem|hoi) (ket qua|trang thai|tinh trang)( dang ky| ho so| cua toi| cua em|)",
    // "bao giờ thì có kết quả", "kết quả sao rồi", "chi hội trưởng xác nhận cho tôi chưa", "tôi có được công nhận không".
    "(bao gio|khi nao|may gio|bao lau) (thi |moi |)(co|biet|bao) ket qua( dang ky| ho so|)( vay| the|)",
    "ket qua (sao roi|the nao roi|ra sao|ra sao roi|den dau roi|co chua|co roi chua)",
    "(chi hoi truong|chi hoi|hoi|nguoi ta|ban|anh|chi) (da |)(xac nhan|duyet|cong nhan) (cho |ho so cho |dang ky cho |)(toi|em|minh|chau|con) (chua|khong)",
    "(toi|em|minh|chau|con) (co |)(duoc |da duoc |)(cong nhan|xac nhan|duyet|dat|dau)( danh hieu| cong dan hoc tap|) (chua|khong)",
  ],
  myData: [
    "(xem|xem lai|cho xem|kiem tra) " + MY_DATA,
    "(xem|xem lai) (toi |em |minh |)da khai (nhung |)gi", "(toi|em|minh|chau) da khai (nhung |)(gi|cai gi|nhung gi)( roi|)", "(xem|xem lai|kiem tra) (cac |may |nhung |het |)cau (da |)tra loi"],
  deleteData: [
    "(xoa|xoa het|xoa sach|xoa bo|xoa toan bo|xoa tat ca|xoa di) (giup |ho |dum |giup cho |)(toi |em |minh |)" + MY_DATA + "( di|)",
    "(rut|rut lai|thu hoi) " + MY_DATA,
    // "nữa": data already held ("không muốn Hội lưu" alone is the consent question's refusal).
    "khong muon (hoi |)(giu|luu) " + MY_DATA + "( cua toi| cua em| cua minh|) nua",
  ],
  language: ["(co the |)(doi|chuyen) (sang|qua) tieng (anh|viet)( duoc| duoc khong| khong| duoc ko| ko|)", "(noi|viet|tra loi|nhan) (bang |)tieng (anh|viet) (di|duoc khong|nhe|nha)", "(switch|change) (to|into) (english|vietnamese)", "(doi|chuyen|change) (language|ngon ngu)"],
  // "nữa" (any more) or "muốn" makes it a wish to stop: "không nhắn tin" alone answers the phone-use question.
  remindersOn: [
    "(bat|mo|bat lai|mo lai|cho nhan lai|nhan lai) (thong bao|nhac nho|tin nhac|tin nhan nhac nho)( lai|)",
    // With someone named: a bare "nhắc lại" is "say it again".
    "(nhac|gui nhac nho cho|gui thong bao cho) (toi|em|minh) lai", "(nhan|muon nhan) (thong bao|nhac nho|tin nhac) lai",
  ],
  remindersOff: ["(khong muon|khong|thoi|dung|ngung|khoi) nhan (tin|tin nhan|thong bao|nhac nho) (hoai |mai |)nua", "(dung|thoi|khoi|thoi dung|thoi khoi) nhan (tin |hoai |mai |)nua", "(khong muon|dung|ngung) nhan (tin nhan|thong bao|nhac nho)",
    // "đừng nhắc tôi nữa", "thôi khỏi nhắn nhắc nữa", "không cần gửi tin nhắc nữa"
    "(khong|dung|thoi|khoi|thoi dung|thoi khoi|khong can|khong muon) (nhan |gui |gui tin |nhan tin |)(nhac|nhac nho)( toi| em| minh| chau| con| bac|) nua",
    "(dung|thoi|khoi|thoi dung|khong can) (nhan |gui |gui tin |nhan tin |)(nhac|nhac nho)( toi| em| minh| chau| con| bac)",
    "(ngung|dung|thoi) (nhan tin|gui tin|gui tin nhan|nhan tin nhan|nhan thong bao|gui thong bao)( cho toi| cho em|)",
    // "đừng nhắn cho tôi nữa", "không muốn nhận tin của hội nữa", "nhắn hoài phiền quá".
    "(dung|thoi|khoi|khong can) (nhan|gui) (tin |)(cho |)(toi|em|minh|chau|con|bac) nua",
    "(khong muon|khong|thoi|dung|ngung|khoi) nhan (tin|tin nhan|thong bao|nhac nho) (cua|tu) (hoi|hoi khuyen hoc|cac ban|ben nay) nua",
    "(nhan|gui) (tin |)(hoai|mai|nhieu qua|nhieu the|suot) (phien|phien qua|phien lam|met qua)"],
};

// English, as people write it: "cancel my registration", "delete all my data", "has my application been approved?"
const ENGLISH_PATTERNS: Partial<Record<GlobalCommand, string[]>> = {
  cancel: ["cancel (my |the |)(registration|application|sign up)"],
  deleteData: ["(delete|remove|erase) (all |)(my |)(data|information|info|details|personal data|account)"],
  myData: ["(show|show me|see|view) (all |)(my |)(data|information|info|details|answers)"],
  back: ["(previous|last) (question|step)", "(go |)back (to |)(the |)(previous|last) (question|step)"],
  edit: ["(change|edit|fix) (my |an |the |)(answer|answers|information|info|details)"],
  language: ["(can you |could you |please |)(speak|talk|write|reply|answer) (in |)(english|vietnamese)( please|)"],
  help: ["(i |)need help", "how does (this|it) work", "what (should|do) i do", "(i |)dont understand"],
  status: [
    "(has|is) my (application|registration) (been |)(approved|confirmed|accepted)", "(application|registration) status", "am i approved",
    "(whats|what is|check|show me|show) (the |my |)status( of my (application|registration)|)",
  ],
  remindersOff: ["stop (reminding|reminders|messaging|texting|sending messages)( me|)", "stop sending (me |)(reminders|messages|texts|notifications)", "(dont|do not) (send|remind) (me |)(reminders|messages|anymore|any more)"],
};

const PHRASES: Record<GlobalCommand, string[]> = {
  help: [
    "tro giup", "giup", "giup do", "giup voi", "help", "huong dan", "can giup", "can tro giup", "can giup do",
    "huong dan su dung", "menu", "tro giup voi", "help me", "giup em", "giup toi", "giup minh", "giup chau", "giup con",
    "huong dan em", "huong dan toi", "huong dan minh", "khong hieu", "em khong hieu", "toi khong hieu", "chua hieu",
    "lam sao", "lam the nao", "phai lam gi", "i dont understand", "cach dung", "cach su dung", "hoi cach dung", "hoi cach su dung", "dung the nao", "su dung the nao", "khong biet lam sao", "khong biet lam the nao", "toi can hoi", "can hoi", "huong dan dang ky", "huong dan dang ki", "huong dan cach dang ky", "cach dang ky", "cach dang ki", "dang ky nhu the nao", "dang ky the nao", "dang ky kieu gi",
    // "cho mình hỏi với", "em hỏi chút": asking to ask (the polite words around are taken off first)
    "hoi", "hoi chut", "hoi ti", "hoi cai", "hoi voi",
  ],
  cancel: [
    "huy", "huy bo", "cancel", "dung lai", "dung", "huy dang ky", "thoi huy", "thoat", "exit", "quit",
    "huy dang ki", "huy bo dang ky", "ngung", "ngung lai", "khong muon dang ky nua", "khong dang ky nua", "khong muon dang ki nua", "khong dang ki nua", "khong muon tiep tuc", "khong tiep tuc nua", "thoi khong dang ky nua", "dung dang ky", "ngung dang ky", "bo dang ky",
  ],
  back: ["quay lai", "tro lai", "back", "go back", "tro ve", "quay ve", "lui lai", "cau truoc", "quay lai buoc truoc", "quay lai cau truoc", "previous"],
  edit: ["sua", "chinh sua", "edit", "sua lai", "sua thong tin", "sua cau tra loi", "thay doi", "change answer"],
  status: [
    "trang thai", "tinh trang", "status", "xem trang thai", "kiem tra trang thai", "tinh trang ho so",
    "trang thai ho so", "ket qua", "check status", "my status", "ho so den dau roi", "ho so cua toi den dau roi",
    "ho so cua em den dau roi", "dang ky den dau roi", "dang ky cua toi den dau roi", "da duoc duyet chua", "duoc duyet chua",
    "da duoc xac nhan chua", "duoc xac nhan chua", "xem ket qua", "ket qua dang ky", "ket qua the nao",
    "whats my status", "what is my status", "check my status", "my registration",
  ],
  myData: [
    "du lieu cua toi", "xem du lieu", "my data", "thong tin cua toi", "xem thong tin", "du lieu", "xem du lieu cua toi",
    "xem thong tin cua toi", "show my data", "xem lai thong tin", "xem lai thong tin cua toi", "xem lai du lieu",
    "xem thong tin cua em", "xem lai thong tin cua em", "toi da khai gi",
  ],
  deleteData: [
    "xoa du lieu", "xoa du lieu cua toi", "delete my data", "delete data", "xoa thong tin", "xoa thong tin cua toi",
    "xoa het du lieu", "xoa tai khoan", "delete my account", "xoa het thong tin", "xoa het thong tin cua toi",
    "xoa het thong tin cua em", "xoa thong tin cua em", "xoa du lieu cua em", "xoa het du lieu cua toi", "xoa sach du lieu",
  ],
  language: [
    "ngon ngu", "language", "tieng anh", "english", "tieng viet", "vietnamese", "doi ngon ngu", "change language",
    "chuyen ngon ngu", "in english", "tieng viet nam", "doi sang tieng viet", "doi sang tieng anh", "chuyen sang tieng anh", "chuyen sang tieng viet", "noi tieng anh", "noi tieng viet", "dung tieng anh", "dung tieng viet", "switch to english", "switch to vietnamese", "doi tieng",
  ],
  // "stop" is the opt-out word people know from SMS: it stops reminders, it does not cancel a registration.
  remindersOff: [
    "dung nhac", "dung nhac nho", "tat thong bao", "tat nhac nho", "stop", "khong nhan nhac nho", "khong nhan thong bao",
    "huy nhac nho", "ngung nhac", "ngung nhac nho", "thoi nhac", "dung gui tin", "dung nhan tin", "khong muon nhan tin",
    "unsubscribe", "stop reminders", "no more reminders", "dung thong bao", "tat nhan tin",
    "stop sending", "stop sending messages", "stop sending me messages", "stop messages", "no more messages",
    // "nữa" (any more) makes it a wish to stop; "không nhắn tin" alone folds the same and answers the phone-use question.
    "khong nhan tin nua", "khong nhan thong bao nua", "khong nhan nhac nho nua", "thoi dung nhan tin",
  ],
  remindersOn: [
    "nhan nhac nho", "bat nhac nho", "bat thong bao", "nhan thong bao", "nhan lai nhac nho", "bat lai nhac nho", "mo nhac nho",
    "get reminders", "start reminders", "subscribe", "nhan lai thong bao",
  ],
  register: [
    "dang ky", "dang ki", "register", "bat dau", "start", "dang ky lai", "dang ky moi", "bat dau lai", "get started",
    "sign up", "toi muon dang ky", "muon dang ky", "dang ky cong dan hoc tap", "dang ki cong dan hoc tap", "dang ky danh hieu cong dan hoc tap", "dang ky cdht", "dang ki cdht", "dang ky thi dua cong dan hoc tap", "tham gia cong dan hoc tap", "muon tham gia", "dang ky lai tu dau", "dang ki lai tu dau", "lam lai tu dau", "bat dau lai tu dau", "lam lai",
    "start over", "start again", "restart",
  ],
};
// Politeness around a command: "tôi muốn hủy", "cho tôi xem trạng thái", "trợ giúp với ạ", "please help".
const LEADING = ["ua", "ui", "oi troi", "chet", "chet roi", "khoan da", "khoan", "a ma", "ma", "u thi", "nho", "nho ban", "cho", "toi muon", "minh muon", "em muon", "chau muon", "con muon", "cho toi", "cho minh", "cho em", "cho toi hoi", "cho em hoi", "toi", "em", "minh", "xin", "hoi", "vui long", "please", "i want to", "lam on"];
const TRAILING = [
  "a", "nhe", "nha", "voi", "di", "giup", "giup toi", "giup em", "giup minh", "giup chau", "giup con", "ho", "ho toi", "ho em", "ho minh",
  "cho toi", "cho em", "cho minh", "cua toi", "cua em", "cua minh", "cua chau", "cua con", "please", "roi", "ngay", "oi", "nua",
  "het", "ca", "luon", "tron", "het tron",
  // "… vậy", "… được không": a question's ending around the request
  "vay", "the", "nhi", "duoc khong", "duoc ko", "dc khong", "duoc chu", "duoc khong a",
];

for (const [command, patterns] of [...Object.entries(PATTERNS), ...Object.entries(ENGLISH_PATTERNS)] as [GlobalCommand, string[]][]) {
  PHRASES[command] = [...new Set([...PHRASES[command], ...patterns.flatMap(expandPattern)])];
}

const LOOKUP = new Map<string, GlobalCommand>(
  (Object.entries(PHRASES) as [GlobalCommand, string[]][]).flatMap(([command, list]) => list.map((p) => [p, command] as const)),
);
// Every word of the commands, to split words typed together ("quaylai", "xoadulieu").
const COMMAND_WORDS = new Set([...LOOKUP.keys()].flatMap((phrase) => phrase.split(" ")));

// How an older person or a pupil says "I" inside a command: "thôi bác không làm nữa", "cháu muốn hủy".
const SPEAKER_WORDS = new Set(["bac", "chau", "em", "toi", "minh", "con", "tui", "chu", "co", "ong", "ba", "di", "anh", "chi"]);
const withoutSpeaker = (key: string) => key.split(" ").filter((word) => !SPEAKER_WORDS.has(word)).join(" ");
// Politeness inside a command: "coi lại dùm tui cái hồ sơ", "quay lại giúp cái".
const INNER_POLITENESS = new Set(["giup", "cai", "voi", "nhe", "nha", "a"]);
const withoutPoliteness = (key: string) => key.split(" ").filter((word) => !INNER_POLITENESS.has(word)).join(" ");

// The Southern and everyday "không" ("tui hổng hiểu", "chẳng hiểu gì"), written as the phrases have it; and "coi"
// (to look, in the South and Centre) as "xem": "coi lại hồ sơ".
const saidAsKhong = (key: string) => key.replace(/(?<=^| )(?:hong|hem|chang)(?= |$)/g, "khong").replace(/(?<=^| )coi(?= |$)/g, "xem");

// "hồ sơ của tôi đến đâu rồi": whose it is says nothing about the command.
const OWNED_BY_SPEAKER = / cua (?:toi|em|minh|chau|con|tui)(?= )/g;

/** How many of each letter a folded text has (a-z, then everything else together). */
function letterCounts(text: string): Uint8Array {
  const counts = new Uint8Array(27);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index) - 97;
    const slot = code >= 0 && code < 26 ? code : 26;
    counts[slot] = Math.min(255, (counts[slot] ?? 0) + 1);
  }
  return counts;
}

/** A lower bound of the edit distance: each edit changes the letter counts by two at most. */
function lettersApart(a: Uint8Array, b: Uint8Array): number {
  let apart = 0;
  for (let slot = 0; slot < 27; slot++) apart += Math.abs((a[slot] ?? 0) - (b[slot] ?? 0));
  return Math.ceil(apart / 2);
}

type TypoCandidate = { phrase: string; command: GlobalCommand; letters: Uint8Array; initials: string };
const initialsOf = (text: string) => text.split(" ").map((word) => word[0]).join("");

// Phrases long enough to be typed with a slip ("tro giupp"), with their command and letters, by length and first
// letter: a slip changes the length by three at most and never the first letter, so a message is compared with a
// few dozen of the thousands of phrases.
const TYPO_CANDIDATES = new Map<string, TypoCandidate[]>();
const bucketOf = (length: number, first: string) => `${length}${first}`;
for (const [phrase, command] of LOOKUP) {
  if (phrase.length < 6) continue;
  const bucket = bucketOf(phrase.length, phrase[0] ?? "");
  TYPO_CANDIDATES.set(bucket, [...(TYPO_CANDIDATES.get(bucket) ?? []), { phrase, command, letters: letterCounts(phrase), initials: initialsOf(phrase) }]);
}

// "Dạ, tôi muốn hủy", "vâng cho tôi sửa lại": a polite yes before the request. Only as typed with its marks: unmarked
// "da" is as often "đã" ("đã đăng ký rồi" says what was done, it asks nothing).
const ACKNOWLEDGEMENT = /^\s*(?:dạ vâng|vâng ạ|dạ|vâng|ừ|ừm)(?:[\s,.!]+)(?=\S)/iu;
const withoutAcknowledgement = (input: string) => input.normalize("NFC").replace(ACKNOWLEDGEMENT, "");

const CLAUSE_MARKS = /[,.;!?…]/u;
const CLAUSE_MARKS_ALL = /[,.;!?…]+/u;

/**
 * "Tôi không hiểu, hướng dẫn tôi với": a message of several clauses, each the same command (clauses of mere
 * politeness, "dạ,", left out), is that command. A clause that is an answer makes the whole no command.
 */
function sameCommandClauses(input: string, options: { slips?: boolean }): GlobalCommand | null {
  if (!CLAUSE_MARKS.test(input)) return null;
  const clauses = input.split(CLAUSE_MARKS_ALL).filter((clause) => trimPoliteness(foldSaid(clause)) !== "");
  if (clauses.length < 2) return null;
  const read = clauses.map((clause) => parseGlobalCommand(clause, options));
  return read.every((command) => command !== null && command === read[0]) ? (read[0] ?? null) : null;
}

function trimPoliteness(key: string): string {
  return stripWordsAround(key, LEADING, TRAILING, (text) => LOOKUP.has(text));
}

/**
 * A global command, only when the whole message is one ("hủy", "tro giup", "Quay lại!", "xóa dữ liệu của tôi",
 * "tôi muốn hủy ạ"). Phrases of six letters or more may carry a typo as long as no other command is nearly as
 * close, so "xoa du lieu" never becomes "xem du lieu" (`slips: false`: only as written). "tôi sẽ học sửa xe" is an
 * answer, not a command.
 */
export function parseGlobalCommand(input: string, options: { slips?: boolean } = {}): GlobalCommand | null {
  if (/^\s*\?+\s*$/.test(input)) return "help";
  // "ad ơi, giúp em với", "chị ơi hủy giúp em": the words before "ơi" call someone, they are not the command.
  const request = withoutAcknowledgement(input);
  const folded = splitRunTogether(saidAsKhong(foldSaid(request)).split(" "), COMMAND_WORDS)
    .join(" ")
    .replace(/^(?:[a-z]+ ){1,2}oi (?=\S)/, "")
    // "đăng kí" is "đăng ký" spelt the other way.
    .replace(/(?<![a-z])dang ki(?![a-z])/g, "dang ky");
  const key = trimPoliteness(folded);
  if (key === "") return null;
  // "dung" alone is "dừng" (stop) only when typed so: unmarked it is as often "đúng" (right) or "dùng" (use), and
  // "đúng rồi", "đúng là vậy", "em có dùng" never stop, whatever is taken off around them.
  const stopTyped = /dừng/iu.test(input.normalize("NFC"));
  const look = (phrase: string) => (phrase === "dung" && !stopTyped ? undefined : LOOKUP.get(phrase));
  const direct =
    look(key) ??
    look(trimPoliteness(folded.replace(OWNED_BY_SPEAKER, ""))) ??
    look(trimPoliteness(withoutSpeaker(folded))) ??
    look(trimPoliteness(withoutPoliteness(withoutSpeaker(folded))));
  if (direct) return direct;
  // "xửa thông tin", "soá dữ liệu", "sem lại": a word spelt as it is said where the writer lives (heardSpelling.ts).
  const heard = key
    .split(" ")
    .map((word) => heardAs(word, COMMAND_WORDS))
    .join(" ");
  const heardCommand = heard !== key && options.slips !== false ? look(heard) : undefined;
  if (heardCommand) return heardCommand;
  const clauses = sameCommandClauses(request, options);
  if (clauses) return clauses;
  if (key.length < 6 || options.slips === false) return null;

  let best: { command: GlobalCommand; distance: number } | null = null;
  let runnerUp = Number.POSITIVE_INFINITY;
  const keyLetters = letterCounts(key);
  const keyInitials = initialsOf(key);
  // Edits are at least as many as the lengths differ, and at least half the letters one has and the other has not:
  // four or more can neither win (two at most) nor come close enough to a winner to matter (the runner-up must be two
  // further than it). Both bounds are cheap; the distance itself is not.
  for (let length = key.length - 3; length <= key.length + 3; length++) {
    for (const { phrase, command, letters, initials } of TYPO_CANDIDATES.get(bucketOf(length, key[0] ?? "")) ?? []) {
      // Word for word, the same first letters: a slip of the thumb keeps them ("hổng biết xài" is not "không biết làm").
      if (initials.length === keyInitials.length && initials !== keyInitials) continue;
      if (lettersApart(keyLetters, letters) > 3) continue;
      // "đúng là vậy" is no slip for "dừng lại" (see `look`).
      if (phrase.startsWith("dung ") && !stopTyped) continue;
      const distance = editDistance(key, phrase, 3);
      if (!best || distance < best.distance) {
        if (best && best.command !== command) runnerUp = Math.min(runnerUp, best.distance);
        best = { command, distance };
      } else if (command !== best.command) {
        runnerUp = Math.min(runnerUp, distance);
      }
    }
  }
  const limit = key.length >= 14 ? 2 : 1;
  return best && best.distance <= limit && runnerUp >= best.distance + 2 ? best.command : null;
}
