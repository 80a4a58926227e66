export { createConversation, type ConversationOptions } from './conversation.ts';
export { echoHandler, menu } from './echo.ts';
export { MESSAGES, t, type Lang, type MessageKey } from './messages.ts';
export { noticeMessage, CASE_UPDATE_TEMPLATE, CERTIFICATE_TEMPLATE } from './notices.ts';
export { photoCheckReply } from './certificate-check.ts';
export { createDirectory, type Directory } from './directory.ts';
