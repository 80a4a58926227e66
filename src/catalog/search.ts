import MiniSearch from 'minisearch';
import { createRequire } from 'node:module';
import type { Service } from './schema.ts';

// Finding a service from what a citizen types: English, Telugu script or Telugu in Latin letters
// ("aadayam"), with spelling mistakes. Every word, in either script, is folded into one lossy Latin
// key (research: nlu-voice-lake.md §1.2), and BM25 with fuzzy and prefix matching ranks services.

// A CommonJS package whose typings do not describe its default export; loaded the CommonJS way.
const Sanscript = createRequire(import.meta.url)('@indic-transliteration/sanscript') as { t(data: string, from: string, to: string): string };
const TELUGU = /[\u0C00-\u0C7F]/;

/** The shared phonetic key of one word: ఆదాయం, aadaayam and adayam all become "adayam". */
export function phoneticKey(word: string): string {
  let w = word.normalize('NFC').toLowerCase().replace(/[\u200c\u200d]/g, '');
  if (TELUGU.test(w)) {
    w = Sanscript.t(w, 'telugu', 'iast')
      .replace(/ṛ/g, 'ru') // ధృవీకరణ and ధ్రువీకరణ are both written
      // Anusvara is n before most consonants and m at the end or before labials.
      .replace(/ṃ(?=[kgcjṭḍtdn])/g, 'n')
      .replace(/ṃ/g, 'm');
  }
  w = w.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return w
    .replace(/[^a-z0-9]/g, '')
    .replace(/([kgcjtdpb])h/g, '$1')
    .replace(/sh|zh/g, 's')
    .replace(/ph|f/g, 'p')
    .replace(/w/g, 'v')
    .replace(/z/g, 'j')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/ck/g, 'k')
    .replace(/ee|ie/g, 'i')
    .replace(/oo|ou/g, 'u')
    .replace(/(.)\1+/g, '$1');
}

// Words that say nothing about which service: "I want", "kavali", "ela cheyali", "నాకు కావాలి".
const STOP = new Set(
  [
    'i', 'me', 'my', 'want', 'need', 'the', 'a', 'an', 'for', 'to', 'of', 'in', 'on', 'how', 'please', 'pls', 'plz', 'get', 'can', 'do', 'is', 'it', 'and', 'or', 'what', 'where', 'apply', 'online', 'sir', 'madam',
    'kavali', 'kaavali', 'kavale', 'ela', 'cheyali', 'cheyyali', 'naku', 'naaku', 'maa', 'ma', 'ki', 'lo', 'undi', 'ivvandi', 'emi', 'enti', 'gurinchi', 'kosam', 'chesukovali', 'telusukovali', 'cheppandi',
    'కావాలి', 'ఎలా', 'నాకు', 'మా', 'చేయాలి', 'ఇవ్వండి', 'గురించి', 'కోసం', 'ఏమిటి', 'చెప్పండి', 'చేసుకోవాలి', 'తెలుసుకోవాలి',
  ].map(phoneticKey),
);

/** The keys of a text's words, without the ones that carry no meaning. */
export function keysOf(text: string): string[] {
  return text
    .normalize('NFC')
    .replace(/[\u0C66-\u0C6F]/g, (c) => String(c.charCodeAt(0) - 0x0c66))
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean)
    .map(phoneticKey)
    .filter((k) => k.length > 0 && !STOP.has(k));
}

export interface SearchHit {
  id: string;
  score: number;
}

export interface ServiceSearch {
  search(query: string, limit?: number): SearchHit[];
}

type Searchable = Service & { department: string; departmentName?: { te: string; en: string } };

export function createServiceSearch(services: Iterable<Searchable>): ServiceSearch {
  const index = new MiniSearch<{ id: string; name: string; keywords: string; summary: string; department: string }>({
    fields: ['name', 'keywords', 'summary', 'department'],
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term || null,
    searchOptions: {
      boost: { name: 3, keywords: 3, department: 1, summary: 0.4 },
      prefix: (term) => term.length >= 4,
      fuzzy: (term) => (term.length >= 7 ? 0.3 : term.length >= 4 ? 1 : false),
      combineWith: 'OR',
    },
  });
  const join = (...texts: (string | undefined)[]) => keysOf(texts.filter(Boolean).join(' ')).join(' ');
  index.addAll(
    [...services].map((s) => ({
      id: s.id,
      name: join(s.name.en, s.name.te, s.issues?.title.en, s.issues?.title.te),
      keywords: join(...s.keywords.en, ...s.keywords.te, ...s.keywords.romanised),
      summary: join(s.summary.en, s.summary.te),
      department: join(s.departmentName?.en, s.departmentName?.te, s.body),
    })),
  );
  return {
    search(query, limit = 5) {
      const keys = keysOf(query);
      if (keys.length === 0) return [];
      return index.search(keys.join(' ')).slice(0, limit).map((r) => ({ id: String(r.id), score: r.score }));
    },
  };
}
