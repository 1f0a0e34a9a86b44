import type { CheckDestination } from '../assets/check-destination.ts';
import { EMPTY_ALLOW_LIST, parseAllowList, type AllowList } from '../assets/allow-list.ts';

/**
 * The CLI honours MONTAGE_ALLOW_HOSTS like the service (a LAN media server can be listed), and
 * its refusals name the variable. load-config already refused an invalid list at start-up.
 */
export function cliAllowList(env: Record<string, string | undefined>): AllowList {
  const parsed = parseAllowList(env.MONTAGE_ALLOW_HOSTS ?? '');
  return parsed.ok ? parsed.allowList : EMPTY_ALLOW_LIST;
}

/**
 * The check loads on its first URL: it brings node:http, node:https and node:dns (about 10 ms of
 * every start), which a composition of local files and colours never needs.
 */
export const cliDestinationCheck = (env: Record<string, string | undefined>): CheckDestination => {
  let check: Promise<CheckDestination> | undefined;
  return async (url) => {
    check ??= import('../assets/check-destination.ts').then((m) => m.createDestinationCheck({ allowList: cliAllowList(env) }));
    return (await check)(url);
  };
};
