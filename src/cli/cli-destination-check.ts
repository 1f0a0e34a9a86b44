import { createDestinationCheck, type CheckDestination } from '../assets/check-destination.ts';
import { EMPTY_ALLOW_LIST, parseAllowList, type AllowList } from '../assets/allow-list.ts';

/**
 * The CLI honours MONTAGE_ALLOW_HOSTS like the service (a LAN media server can be listed), and
 * its refusals name the variable. load-config already refused an invalid list at start-up.
 */
export function cliAllowList(env: Record<string, string | undefined>): AllowList {
  const parsed = parseAllowList(env.MONTAGE_ALLOW_HOSTS ?? '');
  return parsed.ok ? parsed.allowList : EMPTY_ALLOW_LIST;
}

export const cliDestinationCheck = (env: Record<string, string | undefined>): CheckDestination =>
  createDestinationCheck({ allowList: cliAllowList(env) });
