import { renderEventsContract } from '../ports/render-events.contract.ts';
import { createInProcessRenderEvents } from './in-process-render-events.ts';

renderEventsContract('in-process', async () => ({ store: createInProcessRenderEvents(), close: async () => {} }));
