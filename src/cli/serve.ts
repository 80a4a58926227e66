import { startApp } from '../app.ts';
import { loadCatalog } from '../catalog/index.ts';
import { SHIPPED_CATALOG } from './catalog.ts';
import { createConversation, echoHandler } from '../conversation/index.ts';
import { requestPhotoCheck } from '../certificates/index.ts';
import { seedDemoOfficers, type DemoLogins } from '../officers/index.ts';
import { aadhaarSalt, createLogger, loadConfig } from '../platform/index.ts';
import type { Command } from './index.ts';

export const serveCommand: Command = {
  summary: 'start Mitra: webhook, worker, sender (and the WhatsApp simulator when no number is configured)',
  usage: [
    'usage: mitra serve',
    '',
    'Configuration comes from the environment; README lists every variable and its default.',
    'Without WHATSAPP_* credentials a built-in simulator plays Meta and its chat page is printed.',
  ].join('\n'),
  async run() {
    const loaded = loadConfig(process.env);
    if (!loaded.ok) {
      console.error(`mitra: the configuration is not valid:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}`);
      return 2;
    }
    const { config } = loaded;
    const catalog = loadCatalog(config.CATALOG_DIR ?? SHIPPED_CATALOG);
    if (!catalog.ok) {
      console.error(`mitra: the service catalogue is not valid, so Mitra will not start:\n${catalog.problems.map((p) => `  - ${p.file}${p.line ? `:${p.line}` : ''}${p.path ? ` ${p.path}` : ''}: ${p.reason}`).join('\n')}\nRun \`npx mitra catalog check\` after fixing it.`);
      return 1;
    }
    const log = createLogger(config.LOG_LEVEL);
    let app;
    let demo: DemoLogins | undefined;
    try {
      const handler =
        config.CONVERSATION === 'echo'
          ? echoHandler
          : createConversation({
              catalog: catalog.catalog,
              aadhaarSalt: aadhaarSalt(config),
              restartAfterMs: config.CONVERSATION_RESTART_HOURS * 3600_000,
              reopenWindowDays: config.GRIEVANCE_REOPEN_DAYS,
              checkPhoto: (tx, request) => requestPhotoCheck(tx, request, new Date()),
            });
      app = await startApp({ config, log, handler, catalog: catalog.catalog });
      if (config.simulated) demo = await seedDemoOfficers(app.db, catalog.catalog, config.DATA_DIR);
    } catch (err) {
      console.error(`mitra: could not start: ${(err as Error).message}`);
      return 1;
    }
    const where = config.DATABASE_URL ? 'PostgreSQL' : `PGlite in ${config.DATA_DIR}`;
    console.error(
      [
        '',
        `  Mitra is running on ${app.url} (database: ${where})`,
        `  Catalogue: ${catalog.catalog.departments.length} departments, ${catalog.catalog.services.size} services`,
        config.simulated
          ? `  WhatsApp simulator chat page: ${app.url}/simulator/chat\n  Terminal chat:                npx mitra chat --url ${app.url}`
          : `  WhatsApp webhook:             ${app.url}/webhooks/whatsapp`,
        `  Back office:                  ${app.url}/office   (API: ${app.url}/api/docs)`,
        `  Certificate check:            ${app.url}/verify   (trust list: ${app.url}/.well-known/mitra/trust-list.json)`,
        ...(demo ? [`  Demo sign-ins:                ${demo.usernames.slice(0, 3).join(', ')} … (${demo.usernames.length} in all: <prefix>.admin for each department)`, `  Demo password:                ${demo.password}   (kept in ${demo.file})`] : []),
        `  Health and metrics:           ${app.url}/healthz  ${app.url}/metrics`,
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await app.stop();
    return 0;
  },
};
