/** Understanding what people type: pure functions over text, no I/O. */
export { editDistance } from "./editDistance.js";
export { foldKey } from "./foldKey.js";
export { lookupPlaceAlias, type PlaceAlias } from "./lookupPlaceAlias.js";
export { matchChoice, type ChoiceMatch, type ChoiceOption } from "./matchChoice.js";
export { normalizeText } from "./normalizeText.js";
export { parseBirthYear, MAX_AGE, MIN_AGE, type BirthYear } from "./parseBirthYear.js";
export { parseGlobalCommand, type GlobalCommand } from "./parseGlobalCommand.js";
export { parseNumber } from "./parseNumber.js";
export { parsePersonName, NAME_MAX_LENGTH, NAME_MIN_LENGTH, type PersonNameParse } from "./parsePersonName.js";
export { parsePhone, type PhoneParse } from "./parsePhone.js";
export { parsePosition } from "./parsePosition.js";
export { parseWeeklyHours, MAX_PLAUSIBLE_WEEKLY_HOURS, type WeeklyHours } from "./parseWeeklyHours.js";
export { parseYesNo, stripTypingMarks, type YesNo, type YesNoOptions } from "./parseYesNo.js";
export { parseConsent, parseGuardianConsent } from "./parseConsent.js";
export { searchPlaces, type PlaceCandidate, type PlaceHit } from "./searchPlaces.js";
export { stripDiacritics } from "./stripDiacritics.js";
export { parseBranchClaim, parseBranchClaimRef } from "./parseBranchClaim.js";
export { parseHeadCommand, type HeadCommand } from "./parseHeadCommand.js";
