import { normaliseReference } from '../cases/index.ts';

// The words that steer the conversation at any step, as citizens write them: English, Telugu script
// and Telugu in Latin letters. A command always wins over an answer, so none of these is a likely answer.

export type Command =
  | { name: 'menu' }
  | { name: 'help' }
  | { name: 'language'; lang?: 'te' | 'en' }
  | { name: 'back' }
  | { name: 'cancel' }
  | { name: 'skip' }
  | { name: 'edit'; what?: string }
  | { name: 'confirm' }
  | { name: 'status'; reference?: string; raw?: string }
  | { name: 'mine' }
  | { name: 'search' };

const WORDS: Record<Exclude<Command['name'], 'language' | 'status' | 'edit'>, string[]> = {
  menu: ['menu', 'main menu', 'start', 'hi', 'hii', 'hello', 'helo', 'hey', 'namaste', 'namaskaram', 'namaskaramu', 'మెనూ', 'మెను', 'నమస్కారం', 'నమస్తే', 'హాయ్', 'హలో', 'ప్రారంభం'],
  help: ['help', '?', 'sahayam', 'సహాయం', 'హెల్ప్'],
  back: ['back', 'go back', 'previous', 'venakki', 'venaka', 'వెనుకకు', 'వెనక్కి', 'వెనుక'],
  cancel: ['cancel', 'stop', 'quit', 'raddu', 'రద్దు', 'ఆపు', 'ఆపండి'],
  skip: ['skip', 'none', 'no photo', 'datavey', 'datavei', 'దాటవేయి', 'దాటవేయండి', 'లేదు ఫోటో'],
  confirm: ['confirm', 'submit', 'nirdharinchu', 'నిర్ధారించండి', 'నిర్ధారించు', 'సమర్పించు', 'సమర్పించండి'],
  mine: ['my applications', 'my application', 'my requests', 'my complaints', 'na darakhastulu', 'నా దరఖాస్తులు', 'నా దరఖాస్తు', 'నా ఫిర్యాదులు'],
  search: ['search', 'find', 'vethuku', 'వెతకండి', 'వెతుకు'],
};

const LANGUAGE = ['language', 'lang', 'bhasha', 'భాష'];
const TELUGU = ['telugu', 'తెలుగు'];
const ENGLISH = ['english', 'ఇంగ్లీష్', 'ఇంగ్లీషు', 'ఆంగ్లం'];
const EDIT = ['edit', 'change', 'marchu', 'మార్చు', 'మార్చండి'];
const STATUS = ['status', 'track', 'sthithi', 'sthiti', 'స్థితి'];

const lookup = new Map<string, Command>();
for (const [name, words] of Object.entries(WORDS)) for (const w of words) lookup.set(w, { name } as Command);
for (const w of LANGUAGE) lookup.set(w, { name: 'language' });
for (const w of TELUGU) lookup.set(w, { name: 'language', lang: 'te' });
for (const w of ENGLISH) lookup.set(w, { name: 'language', lang: 'en' });

const squash = (s: string) => s.normalize('NFC').trim().toLowerCase().replace(/[.!,;:]+$/g, '').replace(/\s+/g, ' ');

/** The command a text is, if it is one. */
export function commandOf(text: string): Command | undefined {
  const s = squash(text);
  if (!s) return undefined;
  const direct = lookup.get(s);
  if (direct) return direct;
  const [first, ...rest] = s.split(' ');
  const tail = rest.join(' ');
  if (EDIT.includes(first!)) return { name: 'edit', what: tail || undefined };
  if (STATUS.includes(first!)) return { name: 'status', reference: tail ? normaliseReference(tail) : undefined, raw: tail || undefined };
  const reference = normaliseReference(s);
  if (reference && /[a-z]/.test(s)) return { name: 'status', reference };
  return undefined;
}
