import { EMPTY_ALLOW_LIST, parseAllowList, type AllowList } from '../assets/allow-list.ts';
import type { Config } from '../config/load-config.ts';

/**
 * MONTAGE_ALLOW_HOSTS as an AllowList (load-config already refused an invalid one): one reading
 * for the worker's fetcher, the webhook poster and the submit-time checks, so they agree.
 */
export function configuredAllowList(config: Pick<Config, 'allowHosts'>): AllowList {
  const allow = config.allowHosts.length > 0 ? parseAllowList(config.allowHosts.join(',')) : null;
  return allow?.ok ? allow.allowList : EMPTY_ALLOW_LIST;
}
