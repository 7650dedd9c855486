import type { Config } from './config';
import type { Database, Db } from './db/connect';
import type { NetworkCache } from './modules/origination/network-cache';
import type { PolicyCache } from './modules/policies/active-policy';
import type { PrincipalCache } from './platform/principal-cache';

/** What every service receives: the database, the clock, the configuration. */
export interface AppDeps {
  db: Db;
  database: Database;
  config: Config;
  /** The one clock: read once per request, never inside src/credit. */
  clock: () => Date;
  /** Compiled credit policies and which are active. */
  policies: PolicyCache;
  /** Each market's guarantee network, compiled for the formation check (ADR 0011). */
  networks: NetworkCache;
  /** API keys recently authenticated on this instance. */
  principals: PrincipalCache;
}
