/** What an adapter's test hands a contract suite: a fresh, empty port on the real backend. */
export interface ContractHarness<P> {
  readonly store: P;
  /** Closes connections and removes whatever the harness created. */
  close(): Promise<void>;
}

/** Runs `fn` against a fresh harness and always closes it. */
export const withHarness = <P>(make: () => Promise<ContractHarness<P>>, fn: (p: P) => Promise<void>) => async (): Promise<void> => {
  const h = await make();
  try { await fn(h.store); } finally { await h.close(); }
};
