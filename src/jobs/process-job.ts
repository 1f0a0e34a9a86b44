/**
 * What a worker does with a leased job, by message kind: a whole render (which may plan itself as
 * a distributed one), one piece of a distributed render, or the join of its pieces.
 */
import type { LeasedJob } from '../ports/job-queue.ts';
import { inSpan, SpanKind } from '../telemetry/trace-context.ts';
import { createDistributedJobs } from './distributed-render.ts';
import { createProcessRenderJob, type JobOutcome, type ProcessRenderDeps } from './process-render-job.ts';

export function createProcessJob(deps: ProcessRenderDeps) {
  const render = createProcessRenderJob(deps);
  const distributed = deps.distribute ? createDistributedJobs({ ...deps, distribute: deps.distribute }) : undefined;
  const dispatch = async (job: LeasedJob, stopSignal: AbortSignal): Promise<JobOutcome> => {
    switch (job.message.kind) {
      case 'render': return render(job, stopSignal);
      case 'render-piece': return distributed ? distributed.processPiece(job, stopSignal) : { kind: 'nack', delayMs: 10_000, error: 'this worker does not render pieces' };
      case 'join-render': return distributed ? distributed.processJoin(job, stopSignal) : { kind: 'nack', delayMs: 10_000, error: 'this worker does not join pieces' };
      default: return { kind: 'ack' }; // a message this version does not know
    }
  };
  // The job continues the trace of the request that queued it.
  return (job: LeasedJob, stopSignal: AbortSignal): Promise<JobOutcome> => inSpan(`job ${job.message.kind}`, async (span) => {
    const outcome = await dispatch(job, stopSignal);
    span.setAttribute('montage.job_outcome', outcome.kind);
    return outcome;
  }, {
    parent: job.message.trace, kind: SpanKind.CONSUMER,
    attributes: { 'montage.render_id': job.message.renderId, 'montage.job_attempts': job.attempts },
  });
}
