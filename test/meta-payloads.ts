// Webhook bodies shaped exactly as Meta's Cloud API documents them (see shared research whatsapp.md §1).

let n = 0;
export const wamid = () => `wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQz${(++n).toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;
const ts = () => String(Math.floor(Date.now() / 1000));

export function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, ...value } }] }],
  };
}

export function inbound(from: string, message: Record<string, unknown>, name = 'Sheena Nelson') {
  return envelope({ contacts: [{ profile: { name }, wa_id: from }], messages: [{ from, id: wamid(), timestamp: ts(), ...message }] });
}

/** One sample per inbound type the Cloud API documents, plus a type from the future. */
export const samples: Record<string, Record<string, unknown>> = {
  text: { type: 'text', text: { body: 'ఆదాయ ధృవీకరణ పత్రం kavali' } },
  button_reply: { type: 'interactive', context: { from: '15550783881', id: 'wamid.prev' }, interactive: { type: 'button_reply', button_reply: { id: 'help', title: 'సహాయం / Help' } } },
  list_reply: { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'districts', title: 'జిల్లాలు / Districts', description: 'A list' } } },
  template_button: { type: 'button', button: { text: 'Menu', payload: 'menu' } },
  image: { type: 'image', image: { caption: 'ration card', mime_type: 'image/jpeg', sha256: '81d3bd8a8db4868c9520ed47186e8b7c5789e61ff79f7f834be6950b808a90d3', id: '2754859441498128' } },
  document: { type: 'document', document: { caption: 'Invoice', filename: 'invoice.pdf', mime_type: 'application/pdf', sha256: 'abc', id: '1037543291543636' } },
  voice: { type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'abc', id: '1234567890', voice: true } },
  video: { type: 'video', video: { mime_type: 'video/mp4', sha256: 'abc', id: '2234567890' } },
  sticker: { type: 'sticker', sticker: { mime_type: 'image/webp', sha256: 'abc', id: '3234567890', animated: false } },
  location: { type: 'location', location: { latitude: 16.5131, longitude: 80.5165, name: 'Amaravati', address: 'Andhra Pradesh' } },
  contacts: { type: 'contacts', contacts: [{ name: { formatted_name: 'Ravi Kumar', first_name: 'Ravi' }, phones: [{ phone: '+91 98765 43210', wa_id: '919876543210', type: 'CELL' }] }] },
  reaction: { type: 'reaction', reaction: { message_id: 'wamid.prev', emoji: '👍' } },
  unknown: { type: 'unknown', errors: [{ code: 131051, title: 'Message type unknown', message: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } }] },
  future: { type: 'poll_vote', poll_vote: { option: 2 } },
};

export function status(id: string, s: 'sent' | 'delivered' | 'read' | 'failed', callback?: string, errors?: unknown[]) {
  return envelope({
    statuses: [{ id, status: s, timestamp: ts(), recipient_id: '16505551234', ...(callback ? { biz_opaque_callback_data: callback } : {}), ...(errors ? { errors } : {}), pricing: { billable: true, pricing_model: 'PMP', category: 'service' } }],
  });
}
