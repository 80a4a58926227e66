import type { VerdictCode } from '../documents/index.ts';
import type { Bilingual } from './contents.ts';

/** What a verdict means, for the person holding the paper, in both languages. */
export const VERDICT_WORDS: Record<'valid' | VerdictCode, { title: Bilingual; detail: Bilingual }> = {
  valid: {
    title: { te: 'అసలైనది · చెల్లుతుంది', en: 'Genuine and valid' },
    detail: { te: 'ఈ పత్రాన్ని దిగువ పేర్కొన్న శాఖ జారీ చేసింది, అప్పటి నుండి ఏమీ మారలేదు. కాగితంపై ఉన్న వివరాలు దిగువ వివరాలతో సరిపోలుతున్నాయో చూడండి.', en: 'It was issued by the department below and nothing in it has changed since. Check that the paper says the same as the details below.' },
  },
  bad_signature: {
    title: { te: 'నకిలీ లేదా మార్చబడింది', en: 'Tampered: not genuine' },
    detail: { te: 'ఈ కోడ్‌లోని వివరాలు శాఖ సంతకంతో సరిపోలడం లేదు. దీనిని అంగీకరించవద్దు.', en: 'The details in this code do not match the department\'s signature. Do not accept it.' },
  },
  unknown_issuer: {
    title: { te: 'జారీ చేసినవారు తెలియదు', en: 'Unknown issuer' },
    detail: { te: 'ఏ ప్రభుత్వ శాఖ కీతోనూ దీనికి సంతకం కాలేదు. దీనిని అంగీకరించవద్దు.', en: 'It is not signed by the key of any government department. Do not accept it.' },
  },
  key_revoked: {
    title: { te: 'చెల్లదు: సంతకం కీ రద్దయింది', en: 'Not valid: signing key withdrawn' },
    detail: { te: 'ఈ పత్రానికి సంతకం చేసిన కీ దుర్వినియోగం కావడంతో శాఖ దానిని రద్దు చేసింది. కొత్త పత్రం కోసం శాఖను సంప్రదించండి.', en: 'The department withdrew the key that signed it after the key was compromised. Ask the department for a new certificate.' },
  },
  key_expired: {
    title: { te: 'చెల్లదు: కీ గడువు తర్వాత సంతకం', en: 'Not valid: signed after its key\'s period' },
    detail: { te: 'ఈ తేదీన ఈ కీతో సంతకం చేయడానికి వీలు లేదు.', en: 'The key that signed it was no longer in use on the date it carries.' },
  },
  expired: {
    title: { te: 'గడువు ముగిసింది', en: 'Expired' },
    detail: { te: 'ఇది అసలైనదే, కానీ దీని చెల్లుబాటు గడువు ముగిసింది.', en: 'It is genuine, but its validity has ended.' },
  },
  revoked: {
    title: { te: 'రద్దు చేయబడింది', en: 'Revoked' },
    detail: { te: 'జారీ చేసిన శాఖ ఈ పత్రాన్ని రద్దు చేసింది. ఇది ఇక చెల్లదు.', en: 'The issuing department has revoked this certificate. It is no longer valid.' },
  },
  not_yet_valid: {
    title: { te: 'ఇంకా చెల్లుబాటులోకి రాలేదు', en: 'Not yet valid' },
    detail: { te: 'దీనిపై ఉన్న తేదీ ఇంకా రాలేదు.', en: 'The date it carries has not come yet.' },
  },
  malformed: {
    title: { te: 'కోడ్ పాడైంది లేదా అసంపూర్తిగా ఉంది', en: 'Damaged or incomplete code' },
    detail: { te: 'కోడ్‌ను పూర్తిగా చదవలేకపోయాం. మళ్ళీ స్కాన్ చేయండి; అయినా ఇలాగే వస్తే దీనిని అంగీకరించవద్దు.', en: 'The code could not be read in full. Scan it again; if this persists, do not accept it.' },
  },
  wrong_format: {
    title: { te: 'ఇది మన మిత్ర ధ్రువీకరణ పత్రం కోడ్ కాదు', en: 'Not a Mana Mitra certificate code' },
    detail: { te: 'ఈ కోడ్ మన మిత్ర జారీ చేసే పత్రాలది కాదు.', en: 'This code is not one that Mana Mitra certificates carry.' },
  },
};
