// What bench/service-bench.ts passes to autocannon beyond the options declared for the load tests
// (test/adversarial/support/autocannon.d.ts): one request shape for the whole run. Merged into
// that ambient declaration.
declare module 'autocannon' {
  export interface AutocannonOptions {
    method?: string;
    body?: string | Buffer;
    /** Record latencies as measured, without autocannon's correction for a fixed rate. */
    ignoreCoordinatedOmission?: boolean;
  }
}
