export { loadConfig, GRAPH_URL_META, type Config, type ConfigResult } from './config.ts';
export { openDb, openPglite, openPostgres, type Db, type Queryable, type Row } from './db.ts';
export { migrate } from './migrate.ts';
export { createLogger, silentLogger, type Logger } from './logger.ts';
export { createMetrics, type Metrics } from './metrics.ts';
export { systemClock, type Clock } from './clock.ts';
export { aadhaarSalt, ledgerKeySeed, signingKeySecret, trustRootSeed } from './salt.ts';
