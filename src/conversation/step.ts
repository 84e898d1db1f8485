import {
  matchChoice,
  parseBirthYear,
  parseGlobalCommand,
  parsePersonName,
  parsePhone,
  findPhoneInside,
  parseWeeklyHours,
  parseYesNo,
  matchOfferedLabel,
  matchFormerCommune,
  matchFormerCommuneWithTypos,
  matchFormerDistrict,
  foldKey,
  foldSaid,
  parseConsent,
  parseDestructiveConfirmation,
  parseGuardianConsent,
  placeSaid,
  searchPlaces,
  type ChoiceMatching,
  type ChoiceOption,
  type GlobalCommand,
} from "../domain/understanding/index.js";
import { pointsForWeeklyHours, scoreRegistration } from "../domain/scoring.js";
import { latestFlow, selectCriteriaSet } from "./flowDefinitions.js";
import { criteriaSetOf, dependentFields, editableFields, fieldsOf, findField, firstUnanswered, flowOf, type FieldStep } from "./flowSteps.js";
import {
  confirmPayload,
  displayAnswer,
  formatHours,
  optionPayload,
  placeCode,
  placeName,
  pointsByIndicator,
  questionFor,
  say,
  textKey,
  yesNoButtons,
} from "./prompts.js";
import { isCriteriaField, type Answer, type SessionState } from "./sessionState.js";
import { claimFromStartRef, handleBranchHeadInput, reaskHeadPending } from "./branchHeadSteps.js";
import { Turn, type Input, type StepResult } from "./turn.js";
import { noFacts, type TurnFacts } from "./turnFacts.js";
import { locales, type Button, type InboundEvent, type Locale } from "./types.js";
import type { FormerCommuneEntry, World } from "./world.js";

export type { StepResult } from "./turn.js";

/** Longer than this is a paste, not an answer. */
const longestAnswer = 4000;

export function newSession(world: World, locale: Locale = "vi"): SessionState {
  const flow = latestFlow(world.catalog, "registration");
  return {
    v: 1,
    locale,
    year: world.year,
    flow: { id: flow.id, version: flow.version },
    criteriaSet: null,
    stage: "idle",
    answers: {},
    consentAt: null,
    returnToSummary: false,
    history: [],
    pending: null,
    offered: [],
    preselectedBranchId: null,
    registrationStatus: null,
    reopened: [],
    misses: 0,
  };
}

/**
 * The conversation engine: one event in, the next state and the effects out. Pure: no I/O, no clock, no
 * randomness; the runner stores the effects (answers first) and only then sends the replies. `facts` is what the
 * runner read from the database before the turn (is this person a branch head, what a decision token stands for).
 */
export function step(previous: SessionState | null, event: InboundEvent, world: World, facts: TurnFacts = noFacts): StepResult {
  let state = previous ? structuredClone(previous) : newSession(world);
  if (state.year !== world.year) state = { ...newSession(world, state.locale), consentAt: state.consentAt };
  const turn = new Turn(state, world, facts);
  handleEvent(turn, event);
  return turn.result();
}

function handleEvent(turn: Turn, event: InboundEvent): void {
  switch (event.kind) {
    case "unfollow":
      return;
    case "media":
      turn.text("media");
      return reaskCurrent(turn);
    case "start":
      return handleStart(turn, event.ref);
    case "sharedInfo":
      return handleSharedInfo(turn, event);
    case "payload":
      return handleInput(turn, { payload: event.payload, raw: event.text ?? event.payload });
    case "text":
      return handleInput(turn, { text: event.text.normalize("NFC").trim(), raw: event.text });
  }
}

const inFlow = (state: SessionState) => !["idle", "refused", "done"].includes(state.stage);

function currentField(turn: Turn): FieldStep | undefined {
  return inFlow(turn.state) ? findField(turn.state, turn.world, turn.state.stage) : undefined;
}

function handleInput(turn: Turn, input: Input): void {
  const { state } = turn;
  if (input.text !== undefined && input.text.length === 0) return reaskCurrent(turn);
  if (input.text !== undefined && input.text.length > longestAnswer) {
    turn.text("tooLong");
    return reaskCurrent(turn);
  }
  let payload = input.payload;
  // A typed number or a typed button label ("gửi ạ", "English", "hủy đăng ký") does what the tap does.
  // Not at a consent question: a near spelling of "Đồng ý" ("đang ý") or a typed "1" is not an unmistakable
  // agreement; there the consent parsers read typed labels themselves, strictly.
  if (payload === undefined && input.text !== undefined && offersChoice(turn) && !asksForConsent(turn)) payload = offeredByNumber(state.offered, input.text) ?? offeredByLabel(state.offered, input.text, offersPlaces(turn));
  // Branch heads first: decision taps (also typed, as Zalo delivers them), their pending reasons, claims, commands.
  const head = handleBranchHeadInput(turn, { ...input, payload });
  if (head === "handled") return;
  if (head === "notUnderstood") {
    turn.text("notUnderstood");
    return reaskCurrent(turn);
  }
  if (payload?.startsWith("cmd:")) return runCommand(turn, payload.slice(4) as GlobalCommand);
  if (payload?.startsWith("lang:")) return setLanguage(turn, payload.slice(5));
  // A yes or no to a pending confirmation answers it, even where it could read as a command ("dung": đúng / dừng);
  // but a command is never a yes to a guess ("dạ, tôi muốn hủy", "sửa thông tin đã khai": their "dạ"/"đã" is no yes).
  if (state.pending && payload === undefined && input.text !== undefined && pendingAnswered(input.text) && handlePending(turn, input)) return;
  // At the language chooser a language named ("tiếng Anh", "Vietnamese") is the choice, not the "language" command again.
  if (state.pending?.kind === "chooseLanguage" && payload === undefined && input.text !== undefined && handlePending(turn, input)) return;
  if (payload === undefined && input.text !== undefined) {
    const target = inFlow(state) && state.stage !== "consent" ? editTargetIn(turn, input.text) : undefined;
    if (target) return target.value === undefined ? editField(turn, target.field) : editFieldTo(turn, target.field, { ...input, text: target.value });
    const command = parseGlobalCommand(input.text);
    if (command && !isAnswerNotCommand(turn, command, input.text) && !answersOfferedOption(turn, input.text)) return runCommand(turn, command);
    const code = branchCodeIn(input.text);
    if (code) return handleBranchCode(turn, code, input.raw);
  }
  const resolved: Input = { ...input, payload };
  if (state.pending && handlePending(turn, resolved)) return;
  state.pending = null;
  if (payload?.startsWith("nav:edit:") && inFlow(state)) return editField(turn, payload.slice("nav:edit:".length));
  if (state.stage === "idle" || state.stage === "refused") return begin(turn);
  if (state.stage === "done") return afterSubmission(turn);
  const fieldStep = currentField(turn);
  if (!fieldStep) return begin(turn);
  if (payload?.startsWith("opt:") && !payload.startsWith(`opt:${fieldStep.field}:`) && !payload.startsWith("opt:confirm:")) {
    turn.text("staleButton");
    return ask(turn, fieldStep);
  }
  answerField(turn, fieldStep, resolved);
}

/** Whether a text answers a pending yes/no question: a no always, a yes unless the text is a command as typed. */
function pendingAnswered(text: string): boolean {
  const answer = parseYesNo(text);
  return answer === "no" || (answer === "yes" && parseGlobalCommand(text, { slips: false }) === null);
}

/**
 * "tiếng Anh" typed as a learning plan, or at the foreign-language question, is an answer, not a wish to switch
 * language (only "ngôn ngữ", "đổi ngôn ngữ", "language" switch there).
 */
function isAnswerNotCommand(turn: Turn, command: GlobalCommand, text: string): boolean {
  const fieldStep = currentField(turn);
  const answersInWords = fieldStep?.type === "indicator" || (fieldStep?.type === "step" && (fieldStep.step.kind === "freeText" || fieldStep.step.kind === "shortText"));
  return answersInWords && command === "language" && !/^(?:đổi |doi |chuyển |chuyen |change )?(?:ngôn ngữ|ngon ngu|language)$/i.test(text.trim());
}

/** Whether the current question is answered by picking one of the offered buttons. */
function offersChoice(turn: Turn): boolean {
  if (turn.state.pending) return true;
  const fieldStep = currentField(turn);
  if (!fieldStep) return false;
  if (fieldStep.type === "indicator") return fieldStep.indicator.kind === "choice";
  return ["consent", "province", "commune", "branch", "guardianConsent", "choice", "summary"].includes(fieldStep.step.kind);
}

function asksForConsent(turn: Turn): boolean {
  const fieldStep = currentField(turn);
  return !turn.state.pending && fieldStep?.type === "step" && (fieldStep.step.kind === "consent" || fieldStep.step.kind === "guardianConsent");
}

/**
 * Whether the buttons on screen are places or a question asked to tell two apart (not a question of the flow, whose
 * options matchChoice reads with their synonyms): there a distinguishing part of one label ("hiện nay") is a tap.
 * Not the branch question: people type their village there, which a branch's name often contains (confirmed first).
 */
function offersPlaces(turn: Turn): boolean {
  if (turn.state.pending) return true;
  const fieldStep = currentField(turn);
  return fieldStep?.type === "step" && ["province", "commune"].includes(fieldStep.step.kind);
}

function offeredByLabel(offered: Button[], text: string, partial: boolean): string | undefined {
  const index = matchOfferedLabel(
    offered.map((button) => button.title),
    text,
    { partial },
  );
  return index === null ? undefined : offered[index]?.payload;
}

function offeredByNumber(offered: Button[], text: string): string | undefined {
  const match = /^(?:số|so|s)?\s*(\d{1,2})\s*[.)]?$/i.exec(text.trim());
  if (!match) return undefined;
  return offered[Number(match[1]) - 1]?.payload;
}

const branchCodePattern = /^(?:dk|đk|dang\s*ky|đăng\s*ký|dang\s*ki|đăng\s*kí)\s*[:#-]?\s*([a-z0-9]{3,12})$/iu;

/** "dk VPHU01" → "VPHU01"; a word without digits after "đăng ký" is not taken for a code. */
function branchCodeIn(text: string): string | undefined {
  const code = branchCodePattern.exec(text.normalize("NFC").trim())?.[1];
  return code && /\d/.test(code) ? code.toUpperCase() : undefined;
}

function handleStart(turn: Turn, ref: string | undefined): void {
  if (ref && claimFromStartRef(turn, ref)) return;
  const code = ref ? /([A-Za-z0-9]{3,12})$/.exec(ref)?.[1]?.toUpperCase() : undefined;
  if (code && turn.world.directory.branchByCode(code)) return handleBranchCode(turn, code, ref ?? code);
  if (inFlow(turn.state)) {
    if (turn.state.stage !== "consent") turn.text("resume");
    return reaskCurrent(turn);
  }
  if (turn.state.stage === "done") return afterSubmission(turn);
  begin(turn);
}

function handleSharedInfo(turn: Turn, info: { name?: string; phone?: string }): void {
  const fieldStep = currentField(turn);
  if (fieldStep?.field === "fullName" && info.name) return answerField(turn, fieldStep, { text: info.name, raw: info.name });
  if (fieldStep?.field === "phone" && info.phone) return answerField(turn, fieldStep, { text: info.phone, raw: info.phone });
  turn.text("sharedInfoThanks");
  reaskCurrent(turn);
}

function handleBranchCode(turn: Turn, code: string, raw: string): void {
  const branch = turn.world.directory.branchByCode(code);
  if (!branch) {
    turn.text("branch.codeNotFound", { code });
    return inFlow(turn.state) ? reaskCurrent(turn) : begin(turn);
  }
  const { state } = turn;
  if (state.stage === "done") return afterSubmission(turn);
  state.preselectedBranchId = branch.id;
  if (!inFlow(state) || state.consentAt === null) return begin(turn);
  applyPreselectedBranch(turn, raw);
  advance(turn);
}

/** A branch code or deep link answers province, commune and branch at once. */
function applyPreselectedBranch(turn: Turn, raw: string): void {
  const { state, world } = turn;
  const branch = state.preselectedBranchId ? world.directory.branchById(state.preselectedBranchId) : undefined;
  if (!branch) return;
  const commune = world.directory.commune(branch.communeCode);
  const province = commune ? world.directory.province(commune.provinceCode) : undefined;
  if (!commune || !province) return;
  storeAnswer(turn, "province", { raw, value: { code: province.code, name: province.fullName }, points: null });
  storeAnswer(turn, "commune", { raw, value: { code: commune.code, name: commune.fullName }, points: null });
  storeAnswer(turn, "branch", { raw, value: { code: branch.id, name: branch.name, branchCode: branch.code }, points: null });
  turn.text("branch.preselected", { branch: branch.name, commune: commune.fullName });
  state.preselectedBranchId = null;
}

function begin(turn: Turn): void {
  const { state, world } = turn;
  const fresh = newSession(world, state.locale);
  turn.state = { ...fresh, preselectedBranchId: state.preselectedBranchId, stage: "consent" };
  turn.text("welcome", { year: world.year });
  const consent = findField(turn.state, world, "consent");
  if (consent) ask(turn, consent);
}

function reaskCurrent(turn: Turn): void {
  const { state } = turn;
  if (reaskHeadPending(turn)) return;
  if (state.pending?.kind === "confirmValue") return askConfirmValue(turn, state.pending.display, state.pending.prompt);
  const fieldStep = currentField(turn);
  if (fieldStep) return askAgain(turn, fieldStep);
  if (state.stage === "done") return;
  turn.text("startHint");
}

function ask(turn: Turn, fieldStep: FieldStep): void {
  turn.state.stage = fieldStep.field;
  turn.reply(...questionFor(turn.state, turn.world, fieldStep));
}

/** The same question again: the consent notice is shown once, then only its question and buttons. */
function askAgain(turn: Turn, fieldStep: FieldStep): void {
  if (fieldStep.type === "step" && fieldStep.step.kind === "consent" && turn.state.stage === "consent") {
    const question = questionFor(turn.state, turn.world, fieldStep).at(-1);
    if (question) return turn.reply(question);
  }
  ask(turn, fieldStep);
}

/** Moves to the next unanswered question, or to the summary. */
function advance(turn: Turn): void {
  const next = nextQuestion(turn);
  if (next) ask(turn, next);
}

/** Remembers the question just answered (for "quay lại") and returns the next unanswered one, if any. */
function nextQuestion(turn: Turn): FieldStep | undefined {
  const { state, world } = turn;
  if (inFlow(state) && state.history.at(-1) !== state.stage) state.history.push(state.stage);
  const next = firstUnanswered(state, world);
  if (next?.field === "summary") state.returnToSummary = false;
  return next ?? undefined;
}

function storeAnswer(turn: Turn, field: string, answer: Answer): void {
  const { state, world } = turn;
  const previous = state.answers[field];
  state.answers[field] = answer;
  const cleared = [...(dependentFields[field] ?? [])].filter((dependent) => dependent in state.answers);
  if (previous && JSON.stringify(previous.value) === JSON.stringify(answer.value)) cleared.length = 0;
  if (field === "group" || field === "province") {
    const group = state.answers.group?.value;
    if (typeof group === "string") {
      const set = selectCriteriaSet(world.catalog, group, placeCode(state.answers.province?.value));
      if (state.criteriaSet && (state.criteriaSet.id !== set.id || state.criteriaSet.version !== set.version)) {
        cleared.push(...Object.keys(state.answers).filter(isCriteriaField));
      }
      state.criteriaSet = { id: set.id, version: set.version };
    }
  }
  for (const dependent of cleared) delete state.answers[dependent];
  turn.effects.push({
    type: "saveAnswer",
    year: state.year,
    flow: state.flow,
    criteriaSet: state.criteriaSet,
    field,
    raw: answer.raw,
    value: answer.value,
    points: answer.points,
  });
  if (cleared.length > 0) turn.effects.push({ type: "clearAnswers", year: state.year, fields: cleared });
  state.reopened = state.reopened.filter((item) => item !== field);
}

function accept(turn: Turn, fieldStep: FieldStep, answer: Answer): void {
  takeAnswer(turn, fieldStep, answer);
  takeSaidWith(turn, fieldStep, answer.raw);
  advance(turn);
}

// Questions whose answers people give with their name or year in one message ("Lê Thị Hoa, 1960, 0912 345 678"),
// and with their commune their hamlet ("xã Vĩnh Phú, thôn Đông").
const SAID_WITH_IDENTITY = new Set(["personName", "birthYear"]);
const SAID_WITH_PLACE = new Set(["province", "commune", "personName"]);
// The hamlet, street group or village named in a message about something else: its kind and name, up to a comma or
// the next unit ("thôn Đông xã Vĩnh Phú", "tổ 5 phường Việt Trì", "xóm 3"). After a kind that is also an everyday word
// ("bản", "buôn", "làng", "tổ", "khu", "khối": "buôn bán", "tổ chức") only a number or a name typed with a capital.
const UNIT_AFTER = `(?:${["xã", "phường", "thị trấn", "huyện", "quận", "tỉnh", "thành phố", "tp", "đặc khu", "ở", "thuộc", "ạ", "nhé", "nha", "nhe", "nhen", "ơi"]
  .map((word) => `[${word[0] ?? ""}${word[0]?.toUpperCase() ?? ""}]${word.slice(1)}`)
  .join("|")})(?!\\p{L})`;
const HAMLET_SAID = new RegExp(
  String.raw`(?<!\p{L})((?:(?:[Tt]hôn|[Xx]óm|[Ấấ]p|[Tt]ổ dân phố|[Kk]hu phố|TDP|tdp)\s+(?![Ủủ](?!\p{L}))[\p{L}\d]+|(?:[Bb]ản|[Bb]uôn|[Ll]àng|[Kk]hóm|[Tt]ổ|[Kk]hu|[Kk]hối)\s+(?:\d+|\p{Lu}\p{L}*))(?:\s+(?!${UNIT_AFTER})[\p{L}\d]+){0,3})(?=\s*(?:[,.;!\-–]|$|\s${UNIT_AFTER}))`,
  "u",
);

/**
 * The year of birth and phone number said with the name (or the phone with the year), and the hamlet said with the
 * province, commune or name, for questions not answered yet: kept, said back in one line, and not asked again. Only a
 * year written in digits and read for sure, one mobile number, a hamlet named by its kind; anything less is asked as
 * usual.
 */
function takeSaidWith(turn: Turn, fieldStep: FieldStep, raw: string): void {
  if (fieldStep.type !== "step") return;
  const { state, world } = turn;
  const identity = SAID_WITH_IDENTITY.has(fieldStep.step.kind) && /\d/.test(raw);
  const place = SAID_WITH_PLACE.has(fieldStep.step.kind);
  if (!identity && !place) return;
  const noted: string[] = [];
  for (const other of fieldsOf(state, world)) {
    if (other.type !== "step" || other.field in state.answers) continue;
    let value: number | string | null = null;
    if (other.field === "village" && other.step.kind === "shortText") {
      const hamlet = place ? HAMLET_SAID.exec(raw.normalize("NFC"))?.[1]?.trim() : undefined;
      value = hamlet ? hamlet.charAt(0).toUpperCase() + hamlet.slice(1) : null;
    } else if (!identity) {
      continue;
    } else if (other.step.kind === "birthYear") {
      const year = parseBirthYear(raw.replace(PHONE_LIKE, " "), state.year);
      value = year.status === "ok" ? year.year : null;
    } else if (other.step.kind === "phone") {
      value = findPhoneInside(raw);
    }
    if (value === null) continue;
    const answer = { raw, value, points: null };
    storeAnswer(turn, other.field, answer);
    noted.push(turn.say(`saidWith.${other.field}`, { value: displayAnswer(state, world, other, answer) }));
  }
  if (noted.length > 0) turn.text("saidWith.noted", { items: noted.join(", ") });
}

// A phone number (0 or +84 and eight digits or more): no year is read from it.
const PHONE_LIKE = /(?<![\d+])(?:\+?84|0)\d(?:[ .-]?\d){7,}/g;

/** Stores an answer as accepted: no miss counted, nothing pending. */
function takeAnswer(turn: Turn, fieldStep: FieldStep, answer: Answer): void {
  turn.state.misses = 0;
  storeAnswer(turn, fieldStep.field, answer);
  turn.state.pending = null;
  if (fieldStep.field === "commune") skipBranchWhenNone(turn, answer);
}

/**
 * A commune with no branch yet: say that the commune association will place them and do not ask the branch
 * question (its only answer would be "Không có ở đây"); the registration stays visible to the commune.
 */
function skipBranchWhenNone(turn: Turn, commune: Answer): void {
  const code = placeCode(commune.value);
  if (!code || turn.world.directory.branches(code).length > 0 || turn.state.answers.branch) return;
  turn.text("branch.noneInCommune", { commune: placeName(commune.value) ?? code });
  storeAnswer(turn, "branch", { raw: "", value: null, points: null });
}

function askConfirmValue(turn: Turn, display: string, prompt = "didYouMean"): void {
  turn.text(prompt, { value: display }, yesNoButtons(turn.state, turn.world));
}

function confirmFirst(turn: Turn, fieldStep: FieldStep, answer: Answer, display: string, prompt?: string): void {
  turn.state.pending = { kind: "confirmValue", field: fieldStep.field, answer, display, ...(prompt ? { prompt } : {}) };
  askConfirmValue(turn, display, prompt);
}

function notUnderstood(turn: Turn, fieldStep: FieldStep, key = "notUnderstood", params?: Record<string, string | number>): void {
  turn.state.misses += 1;
  turn.text(key, params);
  // Not understood twice in a row: say what else works, so nobody goes round in circles.
  if (turn.state.misses % 2 === 0) {
    const withButtons = questionFor(turn.state, turn.world, fieldStep).some((message) => (message.buttons?.length ?? 0) > 0);
    turn.text(withButtons ? "hint.tapButton" : "hint.askHelp");
  }
  ask(turn, fieldStep);
}

/** A yes that deletes or cancels, read as strictly as consent; the keep button named in any words is a no. */
function destructiveAnswer(turn: Turn, input: Input, keepKey: string): "yes" | "no" | null {
  const keep = locales.map((locale) => say({ ...turn.state, locale }, turn.world, keepKey));
  return yesNoOf(input, (text) => parseDestructiveConfirmation(text, keep));
}

function yesNoOf(input: Input, parse: (text: string) => "yes" | "no" | null = parseYesNo): "yes" | "no" | null {
  if (input.payload === confirmPayload("yes")) return "yes";
  if (input.payload === confirmPayload("no")) return "no";
  return input.text !== undefined ? parse(input.text) : null;
}

function optionValueOf(input: Input, field: string): string | undefined {
  const prefix = `opt:${field}:`;
  return input.payload?.startsWith(prefix) ? input.payload.slice(prefix.length) : undefined;
}

function answerField(turn: Turn, fieldStep: FieldStep, input: Input): void {
  if (fieldStep.type === "indicator") return answerIndicator(turn, fieldStep, input);
  const { state, world } = turn;
  const text = input.text ?? "";
  switch (fieldStep.step.kind) {
    case "consent": {
      // Consent must be explicit: a tap or words of unmistakable agreement, never an emoji alone or a guess.
      const answer = input.payload === undefined && !/\p{L}/u.test(text) ? null : yesNoOf(input, parseConsent);
      if (answer === "yes") return grantConsent(turn, input.raw);
      if (answer === "no") return refuseConsent(turn);
      turn.text("consent.required");
      return askAgain(turn, fieldStep);
    }
    case "province":
      return answerPlace(turn, fieldStep, input, world.directory.provinces().map((p) => ({ id: p.code, name: p.name, type: p.type, label: p.fullName })));
    case "commune": {
      // "Vĩnh Phú, thôn Đông": the commune is looked for without the hamlet said with it (kept for the village question).
      if (input.payload === undefined && input.text) {
        const commune = input.text.normalize("NFC").replace(HAMLET_SAID, " ").replace(/^[\s,.;\-–]+|[\s,.;\-–]+$/gu, "");
        if (commune !== input.text.normalize("NFC").trim() && /\p{L}/u.test(commune)) input = { ...input, text: commune };
      }
      const provinceCode = placeCode(state.answers.province?.value) ?? "";
      const communes = communeCandidates(world, provinceCode);
      const current = input.payload === undefined && input.text ? searchPlaces(input.text, communes, 1)[0] : undefined;
      if (input.payload === undefined && input.text && current?.exact) {
        // A name of today that an old commune merged elsewhere also had ("Long Tuyền" today, and the former
        // "Phường Long Tuyền" now in An Bình): which one, never a silent guess.
        const elsewhere = matchFormerCommune(input.text, world.directory.formerCommunes(provinceCode)).filter((entry) => entry.communeCode !== current.id);
        const today = communes.find((c) => c.id === current.id);
        if (elsewhere.length > 0 && today) return askTodayOrFormer(turn, fieldStep, input, today, elsewhere, communes);
      }
      if (input.payload === undefined && input.text && !current?.exact) {
        const formerList = world.directory.formerCommunes(provinceCode);
        const former = matchFormerCommune(input.text, formerList);
        if (former.length > 0) return answerFormerCommune(turn, fieldStep, input, former, communes);
        const district = matchFormerDistrict(input.text, formerList);
        if (district.length > 0) return answerFormerDistrict(turn, fieldStep, input, district, communes);
        // An old name with a typo, when no commune of today is about as close: still shown with its new commune.
        const misspelt = (current?.score ?? 0) < 0.85 ? matchFormerCommuneWithTypos(input.text, formerList) : [];
        if (misspelt.length > 0) return answerFormerCommune(turn, fieldStep, input, misspelt, communes);
      }
      return answerPlace(turn, fieldStep, input, communes);
    }
    case "branch":
      return answerBranch(turn, fieldStep, input);
    case "shortText":
    case "freeText": {
      if (input.payload !== undefined || text.length < 2) return notUnderstood(turn, fieldStep, "textTooShort");
      if (text.length > fieldStep.step.maxLength) return notUnderstood(turn, fieldStep, "textTooLong", { max: fieldStep.step.maxLength });
      return accept(turn, fieldStep, { raw: input.raw, value: text.replace(/\s+/g, " "), points: null });
    }
    case "personName": {
      const parsed = parsePersonName(text);
      if (parsed.status === "ok" && parsed.check) return confirmFirst(turn, fieldStep, { raw: input.raw, value: parsed.name, points: null }, parsed.name, `name.check.${parsed.check}`);
      if (parsed.status === "ok") return accept(turn, fieldStep, { raw: input.raw, value: parsed.name, points: null });
      return notUnderstood(turn, fieldStep, `name.${parsed.reason}`);
    }
    case "birthYear": {
      const parsed = parseBirthYear(text, state.year);
      if (parsed.status === "ok") return accept(turn, fieldStep, { raw: input.raw, value: parsed.year, points: null });
      if (parsed.status === "confirm") return confirmFirst(turn, fieldStep, { raw: input.raw, value: parsed.year, points: null }, String(parsed.year));
      return notUnderstood(turn, fieldStep, "birthYear.invalid");
    }
    case "guardianConsent": {
      const answer = yesNoOf(input, parseGuardianConsent);
      if (answer === "yes") {
        turn.effects.push({ type: "recordConsent", granted: true, noticeVersion: noticeVersion(turn), at: world.now, locale: state.locale, guardianConsent: true });
        return accept(turn, fieldStep, { raw: input.raw, value: true, points: null });
      }
      if (answer === "no") {
        turn.effects.push({ type: "deletePersonalData" });
        turn.state = newSession(world, state.locale);
        turn.state.stage = "refused";
        return turn.text("guardian.refused");
      }
      return notUnderstood(turn, fieldStep);
    }
    case "choice": {
      const scored = scoredOptionsOf(fieldStep);
      return scored ? answerChoice(turn, fieldStep, input, scored.options, scored.matching) : notUnderstood(turn, fieldStep);
    }
    case "phone": {
      if (optionValueOf(input, "phone") === "skip" || (input.payload === undefined && isDecline(text))) {
        return accept(turn, fieldStep, { raw: input.raw, value: null, points: null });
      }
      const parsed = parsePhone(text);
      if (parsed.status === "ok") return accept(turn, fieldStep, { raw: input.raw, value: parsed.e164, points: null });
      return notUnderstood(turn, fieldStep, "phone.invalid");
    }
    case "criteria":
      return advance(turn);
    case "summary":
      return answerSummary(turn, input);
  }
}

function isDecline(text: string): boolean {
  return parseYesNo(text) === "no" || /^(bo qua|bỏ qua|skip|khong co|không có|ko co|chua co|chưa có)$/i.test(text.trim());
}

function noticeVersion(turn: Turn): string {
  return flowOf(turn.state, turn.world).consentNoticeVersion;
}

function grantConsent(turn: Turn, raw: string): void {
  const { state, world } = turn;
  state.consentAt = world.now;
  turn.effects.push({ type: "recordConsent", granted: true, noticeVersion: noticeVersion(turn), at: world.now, locale: state.locale });
  storeAnswer(turn, "consent", { raw, value: true, points: null });
  turn.text("consent.thanks");
  applyPreselectedBranch(turn, raw);
  advance(turn);
}

function refuseConsent(turn: Turn): void {
  const { world, state } = turn;
  turn.state = { ...newSession(world, state.locale), stage: "refused" };
  turn.effects.push({ type: "forgetTypedMessages" });
  turn.text("consent.refused", undefined, [{ title: turn.say("buttons.registerAgain"), payload: "cmd:register" }]);
}

type PlaceCandidate = { id: string; name: string; type: string; label: string };

function answerPlace(turn: Turn, fieldStep: FieldStep, input: Input, candidates: PlaceCandidate[]): void {
  const field = fieldStep.field;
  const chosenId = optionValueOf(input, field);
  if (chosenId !== undefined) {
    const chosen = candidates.find((candidate) => candidate.id === chosenId);
    return chosen ? acceptPlace(turn, fieldStep, input.raw, chosen) : notUnderstood(turn, fieldStep);
  }
  if (input.text === undefined) return notUnderstood(turn, fieldStep);
  const hits = searchPlaces(input.text, candidates, 5);
  const [best, second] = hits;
  const byId = (id: string) => candidates.find((candidate) => candidate.id === id);
  // Exactly the name, or the only place it can be ("phú thọ ạ", "em ở phú thọ"): no one-button list to tap.
  if ((best?.exact && !(second?.exact && second.score >= best.score)) || (best && !second && best.score >= 0.85)) {
    const chosen = byId(best.id);
    if (chosen) return acceptPlace(turn, fieldStep, input.raw, chosen);
  }
  if (hits.length === 0) return notUnderstood(turn, fieldStep, `${field}.notFound`, { input: input.text.slice(0, 50) });
  const buttons = hits
    .map((hit) => byId(hit.id))
    .filter((candidate): candidate is PlaceCandidate => candidate !== undefined)
    .map((candidate) => ({ title: candidate.label, payload: optionPayload(field, candidate.id) }));
  turn.text(`${field}.choose`, undefined, buttons);
}

/**
 * Someone names the commune they always lived in, merged since July 2025: one new commune → shown back to confirm
 * ("Xã Mai Lâm cũ nay thuộc Xã Đông Anh — đúng không ạ?"); several (the same name in two districts, or an old
 * commune split in two) → the new ones to choose from.
 */
function answerFormerCommune(turn: Turn, fieldStep: FieldStep, input: Input, former: readonly FormerCommuneEntry[], communes: PlaceCandidate[]): void {
  const targets = [...new Set(former.map((entry) => entry.communeCode))].map((code) => communes.find((c) => c.id === code)).filter((c): c is PlaceCandidate => c !== undefined);
  const first = former[0];
  if (!first || targets.length === 0) return answerPlace(turn, fieldStep, input, communes);
  const target = targets[0];
  if (targets.length === 1 && target) {
    const districts = new Set(former.map((entry) => entry.formerDistrict));
    const district = districts.size === 1 && first.formerDistrict ? ` (${first.formerDistrict})` : "";
    const display = turn.say("commune.formerNow", { former: first.formerName, district, commune: target.label.split(",")[0] ?? target.label });
    return confirmFirst(turn, fieldStep, { raw: input.raw, value: { code: target.id, name: target.label }, points: null }, display, "commune.formerConfirm");
  }
  const buttons = former
    .map((entry) => ({ entry, commune: targets.find((c) => c.id === entry.communeCode) }))
    .filter((item): item is { entry: FormerCommuneEntry; commune: PlaceCandidate } => item.commune !== undefined)
    .map(({ entry, commune }) => ({ title: turn.say("commune.formerOption", { commune: commune.label.split(",")[0] ?? commune.label, district: entry.formerDistrict }), payload: optionPayload(fieldStep.field, commune.id) }));
  const unique = buttons.filter((button, index) => buttons.findIndex((other) => other.title === button.title) === index);
  turn.text("commune.formerChoose", { former: first.formerName }, unique);
}

/** The commune of today with the name typed, or the former one(s) of that name merged elsewhere: buttons for each. */
function askTodayOrFormer(turn: Turn, fieldStep: FieldStep, input: Input, today: PlaceCandidate, elsewhere: readonly FormerCommuneEntry[], communes: PlaceCandidate[]): void {
  const shortName = (commune: PlaceCandidate) => commune.label.split(",")[0] ?? commune.label;
  const buttons = [{ title: turn.say("commune.todayOption", { commune: shortName(today) }), payload: optionPayload(fieldStep.field, today.id) }];
  for (const entry of elsewhere) {
    const commune = communes.find((c) => c.id === entry.communeCode);
    if (!commune) continue;
    const title = turn.say("commune.formerOption", { commune: shortName(commune), district: entry.formerDistrict });
    if (!buttons.some((button) => button.title === title)) buttons.push({ title, payload: optionPayload(fieldStep.field, commune.id) });
  }
  if (buttons.length === 1) return answerPlace(turn, fieldStep, input, communes);
  turn.text("commune.todayOrFormer", { commune: shortName(today) }, buttons);
}

/** An old district or city named at the commune question ("tp Vinh"): the new communes made from it, to choose from. */
function answerFormerDistrict(turn: Turn, fieldStep: FieldStep, input: Input, district: readonly FormerCommuneEntry[], communes: PlaceCandidate[]): void {
  const codes = [...new Set(district.map((entry) => entry.communeCode))];
  const buttons = codes
    .map((code) => communes.find((c) => c.id === code))
    .filter((c): c is PlaceCandidate => c !== undefined)
    .map((commune) => ({ title: commune.label.split(",")[0] ?? commune.label, payload: optionPayload(fieldStep.field, commune.id) }));
  if (buttons.length === 1 && buttons[0]) {
    const only = communes.find((c) => c.id === codes[0]);
    if (only) return confirmFirst(turn, fieldStep, { raw: input.raw, value: { code: only.id, name: only.label }, points: null }, turn.say("commune.formerNow", { former: district[0]?.formerDistrict ?? "", district: "", commune: buttons[0].title }), "commune.formerConfirm");
  }
  turn.text("commune.formerDistrictChoose", { district: district[0]?.formerDistrict ?? "" }, buttons);
}

/** The communes of a province as places to search and offer. */
function communeCandidates(world: World, provinceCode: string): PlaceCandidate[] {
  return world.directory.communes(provinceCode).map((c) => ({ id: c.code, name: c.name, type: c.type, label: c.fullName }));
}

function acceptPlace(turn: Turn, fieldStep: FieldStep, raw: string, place: PlaceCandidate): void {
  const { state, world } = turn;
  if (fieldStep.field === "province" && world.directory.communes(place.id).length === 0) {
    turn.text("commune.noneLoaded", { province: place.label });
    return ask(turn, fieldStep);
  }
  const answer: Answer = { raw, value: { code: place.id, name: place.label }, points: null };
  const commune = fieldStep.field === "province" ? communeSaidWith(turn, raw, place) : undefined;
  if (!commune) return accept(turn, fieldStep, answer);
  // "tôi ở Đông Anh, Hà Nội": the commune is said too; shown back at once instead of asked for.
  takeAnswer(turn, fieldStep, answer);
  const next = nextQuestion(turn);
  if (next?.field !== "commune") return next ? ask(turn, next) : undefined;
  state.stage = next.field;
  confirmFirst(turn, next, { raw, value: { code: commune.id, name: commune.label }, points: null }, commune.label, "commune.formerConfirm");
}

/**
 * The commune named beside the province's name in the province answer ("Đông Anh Hà Nội", "xã Vĩnh Phú, Phú Thọ"),
 * when what is left once the province's name is taken off is exactly one commune's name. Only when the province's
 * own name was typed: "Sài Gòn" names the city, not its ward of that name.
 */
function communeSaidWith(turn: Turn, raw: string, province: PlaceCandidate): PlaceCandidate | undefined {
  const said = ` ${foldKey(placeSaid(raw))} `;
  const name = ` ${foldKey(province.name)} `;
  if (!said.includes(name)) return undefined;
  const rest = said
    .replace(name, " ")
    .replace(/ (?:tinh|thanh pho|tp) (?= |$)/g, " ")
    .trim();
  if (rest === "") return undefined;
  const communes = communeCandidates(turn.world, province.id);
  const [best, second] = searchPlaces(rest, communes, 2);
  if (!best?.exact || (second?.exact && second.score >= best.score)) return undefined;
  // A name an old commune merged elsewhere also had is asked about at the commune question (today's or the old one).
  if (matchFormerCommune(rest, turn.world.directory.formerCommunes(province.id)).some((entry) => entry.communeCode !== best.id)) return undefined;
  return communes.find((c) => c.id === best.id);
}

function answerBranch(turn: Turn, fieldStep: FieldStep, input: Input): void {
  const { state, world } = turn;
  const communeCode = placeCode(state.answers.commune?.value) ?? "";
  const branches = world.directory.branches(communeCode);
  const chosenId = optionValueOf(input, "branch");
  const toAnswer = (id: string): Answer | undefined => {
    if (id === "none") return { raw: input.raw, value: null, points: null };
    const branch = branches.find((candidate) => candidate.id === id);
    return branch ? { raw: input.raw, value: { code: branch.id, name: branch.name, branchCode: branch.code }, points: null } : undefined;
  };
  if (chosenId !== undefined) {
    const answer = toAnswer(chosenId);
    return answer ? accept(turn, fieldStep, answer) : notUnderstood(turn, fieldStep);
  }
  const options: ChoiceOption[] = [
    ...branches.map((branch) => ({ value: branch.id, labels: [branch.name, branch.code], synonyms: [] })),
    { value: "none", labels: [turn.world.translate("vi", "branch.notListed"), turn.world.translate("en", "branch.notListed")], synonyms: ["khong co", "chua biet", "khong biet", "khac"] },
  ];
  const match = matchChoice(input.text ?? "", options);
  if (match.status === "matched") {
    const answer = toAnswer(match.value);
    if (answer && match.confidence === "high") return accept(turn, fieldStep, answer);
    if (answer) return confirmFirst(turn, fieldStep, answer, displayAnswer(state, world, fieldStep, answer));
  }
  // Many do not know their branch's name and type their village: say what to tap.
  notUnderstood(turn, fieldStep, "branch.notUnderstood");
}

type ScoredOption = { value: string; synonyms: string[]; points: number | null; fromMark?: number | undefined };

/** The options as matchChoice reads them: their labels in every language and the flow's synonyms. */
function asChoiceOptions(world: World, key: string, options: ScoredOption[]): ChoiceOption[] {
  return options.map((option) => ({
    value: option.value,
    labels: locales.map((locale) => world.translate(locale, `${key}.options.${option.value}`)),
    synonyms: option.synonyms,
    ...(option.fromMark === undefined ? {} : { fromMark: option.fromMark }),
  }));
}

/** A choice step's or choice indicator's options with their points, and how its answers combine; null otherwise. */
function scoredOptionsOf(fieldStep: FieldStep): { options: ScoredOption[]; matching: ChoiceMatching } | null {
  if (fieldStep.type === "indicator") {
    const indicator = fieldStep.indicator;
    if (indicator.kind !== "choice") return null;
    const options = indicator.options.map((o) => ({ value: o.value, synonyms: o.synonyms, points: o.points, fromMark: o.fromMark }));
    return { options, matching: { highestNamed: indicator.highestNamed } };
  }
  if (fieldStep.step.kind !== "choice") return null;
  return { options: fieldStep.step.options.map((o) => ({ value: o.value, synonyms: o.synonyms, points: null })), matching: {} };
}

/** The options of the question being asked when it is answered by choosing one (a choice step or indicator). */
function choiceAsked(turn: Turn): { options: ChoiceOption[]; matching: ChoiceMatching } | null {
  const fieldStep = turn.state.pending ? undefined : currentField(turn);
  const scored = fieldStep ? scoredOptionsOf(fieldStep) : null;
  if (!fieldStep || !scored) return null;
  return { options: asChoiceOptions(turn.world, textKey(fieldStep), scored.options), matching: scored.matching };
}

/**
 * A command read only by allowing a slip ("giữ cháu" for "giúp cháu") while the words name an offered option: the
 * answer. A command said as it is written ("trợ giúp", "hủy") still wins.
 */
function answersOfferedOption(turn: Turn, text: string): boolean {
  if (parseGlobalCommand(text, { slips: false }) !== null) return false;
  const asked = choiceAsked(turn);
  if (!asked) return false;
  const match = matchChoice(text, asked.options, asked.matching);
  return match.status === "matched" && match.confidence === "high";
}

function answerChoice(turn: Turn, fieldStep: FieldStep, input: Input, options: ScoredOption[], matching: ChoiceMatching = {}): void {
  const { state, world } = turn;
  const key = textKey(fieldStep);
  const toAnswer = (value: string): Answer | undefined => {
    const option = options.find((candidate) => candidate.value === value);
    return option ? { raw: input.raw, value: option.value, points: option.points } : undefined;
  };
  const chosen = optionValueOf(input, fieldStep.field);
  if (chosen !== undefined) {
    const answer = toAnswer(chosen);
    return answer ? accept(turn, fieldStep, answer) : notUnderstood(turn, fieldStep);
  }
  if (input.text === undefined) return notUnderstood(turn, fieldStep);
  const choiceOptions = asChoiceOptions(world, key, options);
  // A bare "có" to "Bạn có … không?" where the last option is "never": a yes, but how often? The options that say
  // yes, to tap ("có lúc" is an answer, read below).
  const howOften = () => {
    const buttons = options.slice(0, -1).map((option) => ({ title: turn.say(`${key}.options.${option.value}`), payload: optionPayload(fieldStep.field, option.value) }));
    turn.text("howOften", undefined, buttons);
  };
  const asksFrequency = options.at(-1)?.value === "never";
  if (asksFrequency && parseYesNo(input.text, { strict: true }) === "yes") return howOften();
  const match = matchChoice(input.text, choiceOptions, matching);
  if (match.status === "matched") {
    const answer = toAnswer(match.value);
    if (!answer) return notUnderstood(turn, fieldStep);
    if (match.confidence === "high") return accept(turn, fieldStep, answer);
    return confirmFirst(turn, fieldStep, answer, displayAnswer(state, world, fieldStep, answer));
  }
  if (match.status === "ambiguous") {
    const buttons = match.values.map((value) => ({ title: turn.say(`${key}.options.${value}`), payload: optionPayload(fieldStep.field, value) }));
    return turn.text("whichOne", undefined, buttons);
  }
  // "có học hỏi cách làm mới": a yes said with what is done, still not how often.
  if (asksFrequency && parseYesNo(input.text) === "yes") return howOften();
  notUnderstood(turn, fieldStep);
}

function answerIndicator(turn: Turn, fieldStep: Extract<FieldStep, { type: "indicator" }>, input: Input): void {
  const indicator = fieldStep.indicator;
  if (indicator.kind === "choice") {
    const scored = scoredOptionsOf(fieldStep);
    return scored ? answerChoice(turn, fieldStep, input, scored.options, scored.matching) : notUnderstood(turn, fieldStep);
  }
  const parsed = input.text !== undefined ? parseWeeklyHours(input.text) : ({ status: "none" } as const);
  if (parsed.status === "none") return notUnderstood(turn, fieldStep, "hours.invalid");
  const hours = Math.round(parsed.hours * 100) / 100;
  const answer: Answer = { raw: input.raw, value: hours, points: pointsForWeeklyHours(indicator, hours) };
  if (parsed.status === "implausible") return confirmFirst(turn, fieldStep, answer, turn.say("hoursPerWeek", { hours: formatHours(hours) }));
  accept(turn, fieldStep, answer);
}

function answerSummary(turn: Turn, input: Input): void {
  if (input.payload === "nav:submit" || (input.payload === undefined && wantsToSubmit(input.text ?? ""))) {
    return submit(turn);
  }
  // "sai rồi", "chưa đúng", "nhầm": something is not right, the fields to choose from ("không gửi" is asked again).
  if (input.payload === "nav:edit" || (input.payload === undefined && saysWrong(input.text ?? ""))) return showEditMenu(turn);
  turn.text("summary.chooseAction");
  reaskCurrent(turn);
}

// Saying something is wrong, folded.
const WRONG_WORDS = "sai|nham|chua dung|khong dung|chua chinh xac|khong chinh xac";
const WRONG = new RegExp(`(?<![a-z])(?:${WRONG_WORDS}|wrong|incorrect|not right)(?![a-z])`);

/** A no that says something is wrong: "sai rồi", "không đúng", "nhầm rồi ạ". */
function saysWrong(text: string): boolean {
  return parseYesNo(text) === "no" && WRONG.test(foldSaid(text));
}

/**
 * "gửi", "ok gửi", "nộp hồ sơ", "gửi đăng ký luôn ạ", "send it": the summary's send, said in words. Only a whole
 * message of that kind: "gửi sau", "không gửi", "gửi cho ai" are not it.
 */
function wantsToSubmit(text: string): boolean {
  const key = foldSaid(text)
    .replace(/^(?:(?:ok|vang|da|u|uh|em|toi|chau|con|minh|bac|cho|xin|thi|vay|the|yes)\s+)+/, "")
    .replace(/(?:\s+(?:a|nhe|nha|nhen|di|luon|ngay|roi|voi|please|now|it))+$/, "");
  return /^(?:gui|nop|submit|send)(?:\s+(?:ho so|dang ky|ho so dang ky|ban dang ky|bai|form|di|luon|it))?$/.test(key);
}

function submit(turn: Turn): void {
  const { state, world } = turn;
  const set = criteriaSetOf(state, world);
  const missing = firstUnanswered(state, world);
  if (!set || (missing && missing.field !== "summary")) {
    if (missing) return ask(turn, missing);
    return;
  }
  const score = scoreRegistration(set, pointsByIndicator(state));
  turn.effects.push({
    type: "submitRegistration",
    year: state.year,
    flow: state.flow,
    criteriaSet: { id: set.id, version: set.version },
    score: score.total,
    meets: score.meets,
  });
  state.stage = "done";
  state.registrationStatus = "submitted";
  state.history = [];
  state.reopened = [];
  turn.text(state.answers.branch?.value ? "submitted" : "submittedNoBranch", { score: score.total });
}

function afterSubmission(turn: Turn): void {
  turn.text("alreadySubmitted", { year: turn.state.year });
  turn.text(statusKey(turn.state), statusParams(turn));
}

// "em muốn sửa năm sinh", "cho tôi sửa lại họ tên ạ", "đổi số điện thoại".
const EDIT_NAMED = /^(?:(?:cho|xin|lam on)\s+)?(?:(?:em|toi|minh|chau|con|bac|co)\s+)?(?:(?:muon|can|xin|duoc)\s+)?(?:sua|chinh sua|sua lai|chinh lai|doi|doi lai|thay doi|edit|change)\s+(?:lai\s+)?(?:cau\s+|phan\s+|muc\s+)?(.+)$/;
// "ghi nhầm năm sinh", "sai tên rồi", "bị sai số điện thoại".
const WRONG_NAMED = /^(?:(?:em|toi|minh|chau|con|bac|co)\s+)?(?:bi\s+|da\s+)?(?:ghi sai|ghi nham|go sai|go nham|nhap sai|nhap nham|sai|nham)\s+(?:o\s+|cho\s+|cai\s+|phan\s+|muc\s+)?(.+?)(?:\s+(?:roi|a|nhe|nha|oi))*$/;
// "năm sinh sai rồi", "tên bị nhầm", "số điện thoại chưa đúng ạ".
const NAMED_WRONG = new RegExp(String.raw`^(?:(?:cai|phan|muc|cho|o)\s+)?(.+?)\s+(?:bi\s+|da\s+|ghi\s+|go\s+)?(?:${WRONG_WORDS})(?:\s+(?:roi|a|nhe|nha|het|mat))*$`);

/**
 * The field to go to straight away when a message asks to change one, or says one is wrong ("năm sinh sai rồi",
 * "ghi nhầm tên"). Only fields already answered, named by their name (with a slip, all its words, or a part of one
 * name only: "tên" is "Họ tên").
 */
function editTargetIn(turn: Turn, text: string): { field: string; value?: string } | undefined {
  // "sửa năm sinh thành 1962", "đổi tên là Nguyễn Văn Bình": the new answer, said with the field.
  const said = NEW_VALUE.exec(text.normalize("NFC"));
  const value = said?.[1]?.replace(NOT_THE_OLD, "").trim();
  const asked = EDIT_NAMED.exec(foldKey(said && value ? text.normalize("NFC").slice(0, said.index) : text))?.[1];
  if (asked && value) {
    const field = fieldNamedIn(turn, asked);
    return field ? { field, value } : undefined;
  }
  const key = foldKey(text);
  const rest = EDIT_NAMED.exec(key)?.[1] ?? WRONG_NAMED.exec(key)?.[1] ?? NAMED_WRONG.exec(key)?.[1];
  const field = rest ? fieldNamedIn(turn, rest) : undefined;
  return field ? { field } : undefined;
}

// "… thành 1962", "… là Nguyễn Văn Bình", "… sang nữ".
const NEW_VALUE = /\s(?:thành|thanh|là|sang|bằng)\s+(\S.*)$/iu;
// "1962 chứ không phải 1960": what it is not.
const NOT_THE_OLD = /\s*[,;]?\s*(?:chứ|chu|chớ)?\s*(?:không|khong|ko)\s+phải(?!\p{L}).*$/iu;

/** Goes to a field with its new answer said: read as that question's answer, then back to the summary. */
function editFieldTo(turn: Turn, field: string, input: Input): void {
  const { state, world } = turn;
  const fieldStep = findField(state, world, field);
  if (!fieldStep || state.stage === "done") return reaskCurrent(turn);
  state.returnToSummary = true;
  state.pending = null;
  state.stage = field;
  answerField(turn, fieldStep, input);
}

/** The answered field a few typed words name (see editTargetIn). */
function fieldNamedIn(turn: Turn, rest: string): string | undefined {
  const fields = editableFields(turn.state, turn.world).filter((fieldStep) => fieldStep.field !== "summary");
  const labels = fields.map((fieldStep) => fieldLabel(turn, fieldStep));
  const index = matchOfferedLabel(labels, rest);
  if (index !== null) return fields[index]?.field;
  // Every word of one label among what was typed: "số điện thoại" names "Điện thoại", "họ và tên" "Họ tên".
  const words = new Set(rest.split(" "));
  const named = labels.flatMap((label, at) => (foldKey(label).split(/[ /]/).every((word) => words.has(word)) ? [at] : []));
  if (named.length === 1) return fields[named[0] ?? -1]?.field;
  // What was typed is part of one label only: "sửa tên" is "Họ tên", "sửa năm" "Năm sinh".
  const partOf = labels.flatMap((label, at) => {
    const labelWords = new Set(foldKey(label).split(/[ /]/));
    return [...words].every((word) => labelWords.has(word)) ? [at] : [];
  });
  return named.length === 0 && partOf.length === 1 ? fields[partOf[0] ?? -1]?.field : undefined;
}

function showEditMenu(turn: Turn): void {
  const { state, world } = turn;
  if (state.stage === "done") return turn.text("edit.afterSubmission");
  const fields = editableFields(state, world).filter((fieldStep) => fieldStep.field !== "summary");
  if (!inFlow(state) || fields.length === 0) {
    turn.text("edit.nothing");
    return reaskCurrent(turn);
  }
  state.pending = { kind: "editMenu" };
  const buttons = fields.map((fieldStep) => ({ title: fieldLabel(turn, fieldStep), payload: `nav:edit:${fieldStep.field}` }));
  turn.text("edit.menu", undefined, buttons);
}

function fieldLabel(turn: Turn, fieldStep: FieldStep): string {
  return fieldStep.type === "indicator" ? turn.say(`${textKey(fieldStep)}.short`) : turn.say(`field.${fieldStep.field}`);
}

function editField(turn: Turn, field: string): void {
  const { state, world } = turn;
  const fieldStep = findField(state, world, field);
  if (!fieldStep || state.stage === "done") return reaskCurrent(turn);
  state.returnToSummary = true;
  state.pending = null;
  const answer = state.answers[field];
  if (answer) turn.text("edit.current", { answer: displayAnswer(state, world, fieldStep, answer) });
  ask(turn, fieldStep);
}

function handlePending(turn: Turn, input: Input): boolean {
  const { state, world } = turn;
  const pending = state.pending;
  if (!pending) return false;
  const answer = yesNoOf(input);
  switch (pending.kind) {
    case "confirmValue": {
      const fieldStep = findField(state, world, pending.field);
      if (!fieldStep) return false;
      if (answer === "yes") {
        accept(turn, fieldStep, pending.answer);
        return true;
      }
      if (answer === "no" && pending.prompt === "name.check.trimmed") {
        // We took a word we thought a title off the name ("Ông Ích Khiêm"): it belongs to it, keep the name as typed.
        const whole = parsePersonName(pending.answer.raw, { keepTitles: true });
        if (whole.status === "ok") {
          accept(turn, fieldStep, { ...pending.answer, value: whole.name });
          return true;
        }
      }
      if (answer === "no") {
        state.pending = null;
        turn.text("tryAgain");
        ask(turn, fieldStep);
        return true;
      }
      return false;
    }
    case "confirmCancel": {
      const destructive = destructiveAnswer(turn, input, "cancel.no");
      if (destructive === "yes") {
        turn.effects.push({ type: "cancelRegistration", year: state.year });
        turn.state = { ...newSession(world, state.locale), consentAt: state.consentAt };
        turn.text("cancel.done");
        return true;
      }
      if (destructive === "no") {
        state.pending = null;
        turn.text("cancel.kept");
        reaskCurrent(turn);
        return true;
      }
      return false;
    }
    case "confirmDelete": {
      const destructive = destructiveAnswer(turn, input, "delete.no");
      if (destructive === "yes") {
        turn.effects.push({ type: "deletePersonalData" });
        turn.state = newSession(world, state.locale);
        turn.text("delete.done", undefined, [{ title: turn.say("buttons.registerAgain"), payload: "cmd:register" }]);
        return true;
      }
      if (destructive === "no") {
        state.pending = null;
        turn.text("delete.kept");
        reaskCurrent(turn);
        return true;
      }
      return false;
    }
    case "chooseLanguage": {
      // Whole words only: "thanh hoa" has "anh" in it but names no language.
      const said = ` ${foldKey(input.text ?? "")} `;
      if (/ (?:tieng viet|viet|vietnamese|vn|vi|tv) /.test(said)) {
        setLanguage(turn, "vi");
        return true;
      }
      if (/ (?:tieng anh|english|anh|eng|en) /.test(said)) {
        setLanguage(turn, "en");
        return true;
      }
      return false;
    }
    case "editMenu":
    case "headName":
    case "decisionItems":
    case "decisionReason":
      return false;
  }
}

function setLanguage(turn: Turn, locale: string): void {
  const { state } = turn;
  state.pending = null;
  if (!(locales as readonly string[]).includes(locale)) return reaskCurrent(turn);
  state.locale = locale as Locale;
  turn.effects.push({ type: "setLocale", locale: state.locale });
  turn.text("language.set");
  reaskCurrent(turn);
}

function runCommand(turn: Turn, command: GlobalCommand): void {
  const { state, world } = turn;
  state.pending = null;
  switch (command) {
    case "help":
      turn.text("help");
      if (turn.facts.head) turn.text("head.help");
      return reaskCurrent(turn);
    case "register":
      if (state.stage === "idle" || state.stage === "refused") return begin(turn);
      if (state.stage === "done") return afterSubmission(turn);
      // At the consent question nothing was answered yet: no "welcome back", the question again.
      if (state.stage !== "consent") turn.text("resume");
      return reaskCurrent(turn);
    case "cancel":
      if (state.stage === "done") {
        turn.text("cancel.afterSubmission");
        return;
      }
      if (!inFlow(state)) return turn.text("cancel.nothing");
      if (state.consentAt === null) {
        turn.state = newSession(world, state.locale);
        return turn.text("cancel.done");
      }
      state.pending = { kind: "confirmCancel" };
      return turn.text("cancel.confirm", undefined, yesNoButtons(state, world, "cancel.yes", "cancel.no"));
    case "back": {
      if (!inFlow(state)) return reaskCurrent(turn);
      const previous = [...state.history].reverse().find((field) => field !== state.stage && field !== "consent" && findField(state, world, field));
      if (!previous) {
        turn.text("back.atStart");
        return reaskCurrent(turn);
      }
      state.history = state.history.slice(0, state.history.lastIndexOf(previous));
      const fieldStep = findField(state, world, previous);
      if (!fieldStep) return reaskCurrent(turn);
      const answer = state.answers[previous];
      if (answer) turn.text("back.previousAnswer", { answer: displayAnswer(state, world, fieldStep, answer) });
      return ask(turn, fieldStep);
    }
    case "edit":
      return showEditMenu(turn);
    case "status":
      turn.text(statusKey(state), statusParams(turn));
      return reaskCurrent(turn);
    case "myData":
      return showMyData(turn);
    case "remindersOff":
    case "remindersOn": {
      const on = command === "remindersOn";
      turn.effects.push({ type: "setReminders", on, at: world.now });
      turn.text(on ? "reminders.on" : "reminders.off");
      if (inFlow(state)) reaskCurrent(turn);
      return;
    }
    case "deleteData":
      if (state.consentAt === null && Object.keys(state.answers).length === 0 && state.registrationStatus === null) {
        turn.text("delete.nothing");
        return reaskCurrent(turn);
      }
      state.pending = { kind: "confirmDelete" };
      return turn.text("delete.confirm", undefined, yesNoButtons(state, world, "delete.yes", "delete.no"));
    case "language":
      state.pending = { kind: "chooseLanguage" };
      return turn.text("language.choose", undefined, [
        { title: "Tiếng Việt", payload: "lang:vi" },
        { title: "English", payload: "lang:en" },
      ]);
  }
}

function statusKey(state: SessionState): string {
  // Sent without a branch: the commune association places it before any branch head sees it.
  if (state.registrationStatus === "submitted" && !state.answers.branch?.value) return "status.submittedNoBranch";
  if (state.registrationStatus && state.registrationStatus !== "draft") return `status.${state.registrationStatus}`;
  if (inFlow(state) && state.consentAt !== null) return "status.draft";
  return "status.none";
}

function statusParams(turn: Turn): Record<string, string | number> {
  const { state, world } = turn;
  const questions = fieldsOf(state, world).filter((fieldStep) => fieldStep.field !== "summary" && fieldStep.field !== "consent");
  return {
    year: state.year,
    answered: questions.filter((fieldStep) => fieldStep.field in state.answers).length,
    total: questions.length,
  };
}

function showMyData(turn: Turn): void {
  const { state, world } = turn;
  if (state.consentAt === null && Object.keys(state.answers).length === 0) {
    turn.text("myData.none");
    return reaskCurrent(turn);
  }
  const lines = [turn.say("myData.header")];
  if (state.consentAt !== null) lines.push(turn.say("myData.consent", { date: formatDate(state.consentAt) }));
  for (const fieldStep of fieldsOf(state, world)) {
    const answer = state.answers[fieldStep.field];
    if (!answer || (fieldStep.type === "step" && ["consent", "summary", "guardianConsent"].includes(fieldStep.step.kind))) continue;
    lines.push(`• ${fieldLabel(turn, fieldStep)}: ${displayAnswer(state, world, fieldStep, answer)}`);
  }
  lines.push(turn.say("myData.footer"));
  turn.reply({ text: lines.join("\n") });
  reaskCurrent(turn);
}

function formatDate(epochMs: number): string {
  return new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" }).format(epochMs);
}
