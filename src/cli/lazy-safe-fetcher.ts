/**
 * A SafeFetcher made on the first download: the fetcher brings node:http, node:https, node:dns and
 * its guards (about 10 ms of every `montage render` start), which a composition of local files,
 * colours, text and shapes never uses.
 */
import type { SafeFetcher, SafeFetcherOptions } from '../assets/safe-fetcher.ts';

export const lazySafeFetcher = (options: SafeFetcherOptions): Pick<SafeFetcher, 'fetchToFile'> => {
  let made: Promise<SafeFetcher> | undefined;
  return {
    async fetchToFile(...args) {
      made ??= import('../assets/safe-fetcher.ts').then((m) => new m.SafeFetcher(options));
      return (await made).fetchToFile(...args);
    },
  };
};
