import { readFileSync } from 'node:fs';
import type { Queryable } from '../platform/index.ts';
import type { InboundContent, MediaType, Reply, Turn, TurnHandler } from '../channel/index.ts';

// The smallest conversation that proves the channel end to end: it answers every kind of message,
// offers a menu, pages a long list (AP's 26 districts) and keeps a per-citizen count in its session,
// committed with the replies. The catalogue and the real conversation replace it.

const districts = readFileSync(new URL('../../catalog/lists/ap-districts.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [code, en, te] = line.split(',');
    return { id: `district:${code}`, title: te || en || '', description: en };
  });

const menuButtons = [
  { id: 'menu', title: 'మెనూ / Menu' },
  { id: 'help', title: 'సహాయం / Help' },
];

const both = (te: string, en: string) => `${te}\n\n${en}`;

export function menu(): Reply {
  return {
    kind: 'choices',
    header: 'మన మిత్ర · Mana Mitra',
    text: both('మీకు ఏ సేవ కావాలి? కింద ఎంచుకోండి.', 'Which service do you need? Choose below.'),
    button: 'సేవలు / Services',
    sections: [
      {
        title: 'Demo',
        choices: [
          { id: 'districts', title: 'జిల్లాలు / Districts', description: 'A list longer than one WhatsApp message' },
          { id: 'location', title: 'స్థానం / Location', description: 'Share where you are' },
          { id: 'help', title: 'సహాయం / Help' },
        ],
      },
    ],
  };
}

function answer(c: InboundContent, count: number): Reply[] {
  switch (c.kind) {
    case 'text': {
      const t = c.text.trim().toLowerCase();
      if (['hi', 'hello', 'menu', 'మెనూ', 'నమస్కారం', 'namaskaram'].includes(t)) return [menu()];
      if (t === 'districts' || t === 'జిల్లాలు') return [districtList()];
      if (t === 'help' || t === 'సహాయం') return [help()];
      return [{ kind: 'buttons', text: both(`మీరు రాశారు: «${c.text}»`, `You wrote: «${c.text}»`) + `\n\n#${count}`, buttons: menuButtons }];
    }
    case 'choice':
      if (c.id === 'menu') return [menu()];
      if (c.id === 'help') return [help()];
      if (c.id === 'districts') return [districtList()];
      if (c.id === 'location') return [{ kind: 'location_request', text: both('మీ స్థానాన్ని పంపండి.', 'Please share your location.') }];
      return [{ kind: 'buttons', text: both(`మీరు ఎంచుకున్నారు: ${c.title}`, `You chose: ${c.title}`), buttons: menuButtons }];
    case 'media': {
      const what = c.voice ? ['వాయిస్ సందేశం', 'voice note'] : mediaWords[c.mediaType];
      return [{ kind: 'text', text: both(`మీ ${what[0]} అందింది (${c.mimeType}).`, `Got your ${what[1]} (${c.mimeType}).`) }];
    }
    case 'location':
      return [{ kind: 'text', text: both(`మీ స్థానం అందింది: ${c.latitude}, ${c.longitude}`, `Got your location: ${c.latitude}, ${c.longitude}`) }];
    case 'contacts':
      return [{ kind: 'text', text: both(`పరిచయం అందింది: ${c.contacts.map((x) => x.name).join(', ')}`, `Got the contact: ${c.contacts.map((x) => x.name).join(', ')}`) }];
    case 'reaction':
      return c.emoji ? [{ kind: 'text', text: both(`మీ స్పందనకు ధన్యవాదాలు ${c.emoji}`, `Thank you for your reaction ${c.emoji}`) }] : [];
    case 'unsupported':
      return [{ kind: 'buttons', text: both('ఈ రకమైన సందేశాన్ని ఇంకా చదవలేము. దయచేసి టెక్స్ట్ పంపండి లేదా మెనూ నొక్కండి.', 'We cannot read this kind of message yet. Please send text or tap Menu.'), buttons: menuButtons }];
  }
}

const mediaWords: Record<MediaType, [string, string]> = {
  image: ['ఫోటో', 'photo'],
  document: ['పత్రం', 'document'],
  audio: ['ఆడియో', 'audio'],
  video: ['వీడియో', 'video'],
  sticker: ['స్టిక్కర్', 'sticker'],
};

function districtList(): Reply {
  return { kind: 'choices', text: both('మీ జిల్లాను ఎంచుకోండి.', 'Choose your district.'), button: 'జిల్లాలు / Districts', sections: [{ title: 'Andhra Pradesh', choices: districts }] };
}

function help(): Reply {
  return {
    kind: 'buttons',
    text: both('ఏదైనా రాయండి, నేను తిరిగి చెబుతాను. "menu" అని రాస్తే సేవల జాబితా వస్తుంది.', 'Write anything and I will echo it. Write "menu" for the list of services.'),
    buttons: menuButtons,
  };
}

const COUNT = `insert into conversation_sessions (wa_id, state) values ($1, '{"count":1}')
     on conflict (wa_id) do update set state = jsonb_set(conversation_sessions.state, '{count}',
       to_jsonb(coalesce((conversation_sessions.state->>'count')::int, 0) + 1)), updated_at = now()
     returning (state->>'count')::int as count`;

export const echoHandler: TurnHandler = async (turn: Turn, tx: Queryable) => {
  const rows = await tx.query<{ count: number }>(COUNT, [turn.citizen.waId]);
  return answer(turn.message.content, rows[0]!.count);
};

// A batch: every citizen's count in one statement (one turn per citizen, as the worker claims them).
echoHandler.many = async (turns: Turn[], tx: Queryable) => {
  const ids = turns.map((t) => t.citizen.waId);
  if (new Set(ids).size !== ids.length) {
    const out: Reply[][] = [];
    for (const t of turns) out.push(await echoHandler(t, tx));
    return out;
  }
  const rows = await tx.query<{ wa_id: string; count: number }>(
    `insert into conversation_sessions (wa_id, state) select unnest($1::text[]), '{"count":1}'
     on conflict (wa_id) do update set state = jsonb_set(conversation_sessions.state, '{count}',
       to_jsonb(coalesce((conversation_sessions.state->>'count')::int, 0) + 1)), updated_at = now()
     returning wa_id, (state->>'count')::int as count`,
    [ids],
  );
  const counts = new Map(rows.map((r) => [r.wa_id, r.count]));
  return turns.map((t) => answer(t.message.content, counts.get(t.citizen.waId)!));
};
