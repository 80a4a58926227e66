// The channel-neutral vocabulary between a channel and the conversation. Nothing here knows WhatsApp.

export type MediaType = 'image' | 'document' | 'audio' | 'video' | 'sticker';

/** What a citizen sent, whatever app carried it. */
export type InboundContent =
  | { kind: 'text'; text: string }
  /** A tap on a button or a list row we offered. */
  | { kind: 'choice'; id: string; title: string }
  | { kind: 'media'; mediaType: MediaType; mediaId: string; mimeType: string; sha256?: string; caption?: string; filename?: string; voice?: boolean }
  | { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
  | { kind: 'contacts'; contacts: { name: string; phones: string[] }[] }
  | { kind: 'reaction'; emoji: string | null; toMessageId: string }
  /** A kind of message this version cannot read (WhatsApp's "unknown", or a type added after us). */
  | { kind: 'unsupported'; type: string };

export interface InboundMessage {
  /** The channel's own id for the message (WhatsApp: the wamid). */
  id: string;
  from: string;
  at: Date;
  /** The message this one answers, when the citizen quoted or tapped one. */
  inReplyTo?: string;
  content: InboundContent;
}

export type MediaRef = { mediaId: string } | { link: string };

export interface Choice {
  id: string;
  title: string;
  description?: string;
}

/** What the conversation wants to say. The channel fits it to its own limits and paginates. */
export type Reply =
  | { kind: 'text'; text: string }
  | { kind: 'choices'; text: string; button: string; sections: { title?: string; choices: Choice[] }[]; header?: string; footer?: string; moreLabel?: string }
  | { kind: 'buttons'; text: string; buttons: Choice[]; header?: string; footer?: string }
  | { kind: 'link'; text: string; label: string; url: string }
  | { kind: 'document'; media: MediaRef; filename: string; caption?: string }
  | { kind: 'image'; media: MediaRef; caption?: string }
  | { kind: 'audio'; media: MediaRef }
  | { kind: 'location_request'; text: string }
  /** A pre-approved template, the only thing WhatsApp delivers outside the 24-hour window. */
  | { kind: 'template'; name: string; language: string; params: string[]; document?: { media: MediaRef; filename: string } };

export interface Citizen {
  /** The citizen's WhatsApp id (their number, digits only). */
  waId: string;
  name?: string;
}

export interface Turn {
  citizen: Citizen;
  message: InboundMessage;
  /** When the webhook stored the message. */
  receivedAt: Date;
  /**
   * The message held a secret (an Aadhaar number): the channel keeps no copy of what it said, from
   * the same commit as the turn. Optional so that a handler may be called outside the channel.
   */
  redact?: () => void;
}

/**
 * The conversation behind the channel. It runs inside the turn's transaction (`tx`): whatever it
 * writes commits together with the inbox row and the replies, or not at all. It must not send or
 * fetch anything itself.
 */
export type TurnHandler = ((turn: Turn, tx: import('../platform/index.ts').Queryable) => Promise<Reply[]>) & {
  /**
   * Optional: the turns of one claimed batch, in order, in the same transaction; the same as calling
   * the handler on each turn in turn, with fewer statements (e.g. every session loaded in one and
   * saved in one). The channel uses it when it is there.
   */
  many?: (turns: Turn[], tx: import('../platform/index.ts').Queryable) => Promise<Reply[][]>;
};
