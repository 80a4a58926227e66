// Every citizen-facing string, in Telugu and English. TypeScript refuses a key missing in either
// language; messages.test.ts checks that none is empty and that the Telugu is in Telugu script.

export type Lang = 'te' | 'en';

const en = {
  'answer.empty': 'Please write an answer.',
  'answer.too_long': 'That is too long; please keep it under {max} characters.',
  'answer.name': 'Please write a name with letters only, for example: {example}.',
  'answer.number': 'Please write a number, for example: {example}.',
  'answer.number_range': 'Please write a number from {min} to {max}.',
  'answer.money': 'Please write an amount in rupees, for example: 1,20,000.',
  'answer.date': 'Please write a date as day-month-year, for example: {example}.',
  'answer.date_past': 'That date is in the future; please give a date that has passed.',
  'answer.date_future': 'That date has passed; please give a date from today onwards.',
  'answer.yes_no': 'Please answer Yes or No.',
  'answer.choice': 'Please choose one of the options: tap it, or write its number.',
  'answer.mobile': 'Please write a 10-digit mobile number starting with 6, 7, 8 or 9.',
  'answer.pin_code': 'Please write the 6-digit PIN code, for example: 520001.',
  'answer.email': 'Please write an email address, for example: name@example.com.',
  'answer.aadhaar_length': 'An Aadhaar number has 12 digits; please check and write all 12.',
  'answer.aadhaar_invalid': 'This is not a valid Aadhaar number; a digit may be mistyped. Please check it on your card.',
  'answer.media': 'Please send a {what} using the 📎 button.',
  'answer.media_photo': 'photo',
  'answer.media_document': 'photo or PDF of the document',
  'answer.location': 'Please share your location using 📎 → Location.',
} as const;

export type MessageKey = keyof typeof en;

const te: Record<MessageKey, string> = {
  'answer.empty': 'దయచేసి సమాధానం రాయండి.',
  'answer.too_long': 'ఇది చాలా పొడవుగా ఉంది; దయచేసి {max} అక్షరాలలోపు రాయండి.',
  'answer.name': 'దయచేసి పేరును అక్షరాలతో మాత్రమే రాయండి, ఉదాహరణకు: {example}.',
  'answer.number': 'దయచేసి ఒక సంఖ్య రాయండి, ఉదాహరణకు: {example}.',
  'answer.number_range': 'దయచేసి {min} నుండి {max} మధ్య సంఖ్య రాయండి.',
  'answer.money': 'దయచేసి మొత్తాన్ని రూపాయలలో రాయండి, ఉదాహరణకు: 1,20,000.',
  'answer.date': 'దయచేసి తేదీని రోజు-నెల-సంవత్సరం గా రాయండి, ఉదాహరణకు: {example}.',
  'answer.date_past': 'ఆ తేదీ ఇంకా రాలేదు; దయచేసి గడిచిన తేదీ ఇవ్వండి.',
  'answer.date_future': 'ఆ తేదీ గడిచిపోయింది; దయచేసి ఈ రోజు లేదా ఆ తర్వాతి తేదీ ఇవ్వండి.',
  'answer.yes_no': 'దయచేసి అవును లేదా కాదు అని సమాధానం ఇవ్వండి.',
  'answer.choice': 'దయచేసి ఇచ్చిన వాటిలో ఒకటి ఎంచుకోండి: దాన్ని నొక్కండి, లేదా దాని సంఖ్య రాయండి.',
  'answer.mobile': 'దయచేసి 6, 7, 8 లేదా 9 తో మొదలయ్యే 10 అంకెల మొబైల్ నంబరు రాయండి.',
  'answer.pin_code': 'దయచేసి 6 అంకెల పిన్ కోడ్ రాయండి, ఉదాహరణకు: 520001.',
  'answer.email': 'దయచేసి ఈమెయిల్ చిరునామా రాయండి, ఉదాహరణకు: name@example.com.',
  'answer.aadhaar_length': 'ఆధార్ నంబరులో 12 అంకెలు ఉంటాయి; దయచేసి సరిచూసి మొత్తం 12 అంకెలు రాయండి.',
  'answer.aadhaar_invalid': 'ఇది సరైన ఆధార్ నంబరు కాదు; ఒక అంకె తప్పుగా పడి ఉండవచ్చు. దయచేసి మీ కార్డుపై సరిచూడండి.',
  'answer.media': 'దయచేసి 📎 బటన్‌తో {what} పంపండి.',
  'answer.media_photo': 'ఫోటో',
  'answer.media_document': 'పత్రం యొక్క ఫోటో లేదా PDF',
  'answer.location': 'దయచేసి 📎 → Location ద్వారా మీ స్థానాన్ని పంపండి.',
};

export const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, te };

/** A message in the citizen's language with its {placeholders} filled; a placeholder may name another message. */
export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) return `{${k}}`;
    return typeof v === 'string' && v in MESSAGES[lang] ? MESSAGES[lang][v as MessageKey] : String(v);
  });
}
