// Answers to the consent question that must never be taken as agreement (domain.md: explicit consent), shared by the
// parser's test and the conversation test that sends them through the whole turn.
// Built from kinds, not copied from anywhere: deferring, conditions, questions, places and names that contain "đồng",
// half words, off-topic sentences, unsure answers, the past particle "đã".
export const deferrals = ["để em hỏi mẹ đã", "để tôi hỏi con trai đã", "chờ chút", "lát nữa", "mai em trả lời", "để suy nghĩ", "từ từ đã", "hỏi bố em đã", "em chưa biết", "đợi tí"];
export const conditions = ["đồng ý nhưng không lưu số điện thoại", "ok nếu không mất tiền", "có mất phí không", "đồng ý hay không đồng ý", "có hay không"];
export const places = ["Hà Đông", "ha dong", "Đồng Tháp", "dong thap", "Đồng Nai", "Đồng Hới", "xã Đồng Tâm", "Đông Anh", "đồng"];
export const offTopic = ["lưu ở đâu", "ai xem được", "tôi tên là Đồng", "Nguyễn Văn Đồng", "bao nhiêu tiền", "cái này là gì", "ý kiến khác", "ý", "đồng hồ", "ok google", "có thể"];
export const pastParticle = ["đã", "tôi đã", "đã đồng ý", "em đã"];
// Someone else's agreement is not the person's consent; "mà" inside begins a "but"; "ủa" is surprise.
export const others = [
  // a hesitation left unfinished ("well, then…"), someone else in the family
  "ờ thì", "ok thì", "vợ tôi đồng ý", "chồng tôi bảo ok", "ông nhà tôi đồng ý rồi",
  "má tôi đồng ý", "mẹ em đồng ý rồi", "má đồng ý", "đồng ý mà sợ lộ thông tin", "ủa", "ủa đồng ý hả",
  "con tôi đồng ý", "anh tôi đồng ý rồi", "em mình đồng ý", "chị tôi ok", "cháu tôi đồng ý", "tôi sẽ đồng ý",
  // one letter from a yes word, but real words
  "đang ý", "ông ý", "đơn ý", "dang y", "khoảng ý", "do y", "day y", "chia y", "ok y",
  // "dung" without marks is "dừng" (stop) as often as "đúng" (right)
  "dung", "dung roi", "dung lai",
  // words run together, Southern and Central speech, a correction back to yes
  "me dongy", "con toi dongy", "dongy?", "dongy chua", "má tui đồng ý", "ổng đồng ý rồi", "để hỏi tía đã", "nỏ biết",
  "không đồng ý à nhầm đồng ý", "chắc là đồng ý", "đồng ý vì con bảo thế",
  // a sound made while thinking; starting is not agreeing; "hỏi" (to ask) folds as "hội" (the association)
  "ừm", "uhm", "hmm", "ưm ạ", "bắt đầu đi", "bắt đầu", "hoi khuyen hoc la gi", "đồng ý hỏi đã", "cho hỏi",
  // part of it, for a while, someone else's, a question about it; reading is not agreeing
  "đồng ý một phần", "đồng ý trừ số điện thoại", "tạm đồng ý", "đồng ý tạm thời", "vợ tôi đồng ý", "ông xã đồng ý rồi",
  "con trai tôi bấm đồng ý hộ", "đồng ý là sao", "nếu đồng ý thì thế nào", "sao cũng được", "tùy", "đã đọc", "hoàn toàn",
  "100%", "đọc không hiểu", "cánh đồng", "đồng chí", "ờ", "ờ ờ", "rồi thì phải",
];
// "đâu" after an agreement denies it: "I never agreed".
export const denials = ["tôi đồng ý đâu", "em có đồng ý đâu", "ai bảo đồng ý đâu", "đồng ý cho ai đâu"];

/** Near spellings of the "Đồng ý" button: as a tap they would agree, as typed text they are doubtful. */
export const nearButtonSpellings = ["dong u", "đồng ỳ nhưng", "dông ư", "đông ý hả", "đống ý?"];

/** A thumbs-up may be a reflex or a "seen": consent wants words. */
export const emojiOnly = ["👍", "👌", "👍👍", "✅"];

export const doubtfulConsents = [...deferrals, ...conditions, ...places, ...offTopic, ...pastParticle, ...others, ...denials, ...nearButtonSpellings, ...emojiOnly];

/**
 * Answers to "has your parent (guardian) agreed?" that are not the parent's agreement: the pupil's own ("em đồng ý"
 * is the child speaking), a guess or a promise about the parent, a parent who is away, a thumbs-up.
 */
export const doubtfulGuardianAnswers = [
  ...deferrals, "em đồng ý", "con đồng ý ạ", "dạ em đồng ý", "cháu ok", "mình đồng ý rồi", "em cũng đồng ý", "em tự đồng ý",
  "chắc mẹ đồng ý", "mẹ sẽ đồng ý", "bố mẹ đi làm xa", "dung", "dung roi", "bố em đi làm rồi", "mẹ em bảo để xem", "Hà Đông", ...emojiOnly,
  // The pupil's own agreement in English, and someone away: neither is the parents' agreement.
  "I agree", "yes I agree", "I do", "yes I do", "ok I agree to that", "bố em đi vắng rồi", "e đồng ý gòi",
  // Words typed together, and a correction: "e dongy" is still the pupil's own agreement.
  "e dongy", "em dongy roi", "không đồng ý à nhầm đồng ý", "I agree with my mom",
  "chị em bảo ok", "anh em đồng ý rồi", "bạn em ok",
  // a question, one parent of two agreeing, a teacher or a friend
  "mẹ đồng ý?", "bố mẹ đồng ý hả", "mẹ em đồng ý nhưng bố chưa", "mẹ đồng ý, bố không", "mẹ bảo tùy em", "cô giáo đồng ý",
  "thầy chủ nhiệm bảo đăng ký", "bạn em đồng ý", "mẹ em biết rồi",
  // said to the parent, a hedge, an "ý" alone
  "mẹ ơi đồng ý nhé", "đồng ý nha mẹ", "ok mẹ", "rồi thì phải", "mẹ ý",
];
