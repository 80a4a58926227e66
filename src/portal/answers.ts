import type { Catalog, Service } from '../catalog/index.ts';

/** One answer as an officer reads it: the question, and the answer in words (never a full Aadhaar number). */
export interface AnswerView {
  field: string;
  label: { te: string; en: string };
  type: string;
  text: string;
  media?: { mediaId: string; mimeType: string };
  location?: { latitude: number; longitude: number };
}

export function answerViews(catalog: Catalog, service: Service, answers: Record<string, unknown>): AnswerView[] {
  return service.fields.map((f) => {
    const v = answers[f.id];
    const view: AnswerView = { field: f.id, label: f.label, type: f.type, text: '' };
    if (v === null || v === undefined) return { ...view, text: '—' };
    if (f.type === 'choice') {
      const option = f.options?.find((o) => o.id === v);
      const entry = f.list ? catalog.lists.get(f.list)?.find((e) => e.id === v) : undefined;
      const both = (b: { en: string; te: string }) => (b.te === b.en ? b.en : `${b.en} / ${b.te}`);
      return { ...view, text: option ? both(option.label) : entry ? both(entry) : String(v) };
    }
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('aadhaarLast4' in o) return { ...view, text: `XXXX XXXX ${String(o.aadhaarLast4)}` };
      if ('mediaId' in o) return { ...view, text: String(o.mimeType), media: { mediaId: String(o.mediaId), mimeType: String(o.mimeType) } };
      if ('latitude' in o) return { ...view, text: `${o.latitude}, ${o.longitude}`, location: { latitude: Number(o.latitude), longitude: Number(o.longitude) } };
    }
    if (typeof v === 'boolean') return { ...view, text: v ? 'Yes / అవును' : 'No / కాదు' };
    if (f.type === 'money') return { ...view, text: `₹${Number(v).toLocaleString('en-IN')}` };
    return { ...view, text: String(v) };
  });
}
