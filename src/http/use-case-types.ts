/** The types of the render use cases the HTTP layer calls, named once (they are factory results). */
import type { createCancelRender } from '../jobs/cancel-render.ts';
import type { createGetRender, createListRenders } from '../jobs/get-render.ts';

export type GetRenderUseCase = ReturnType<typeof createGetRender>;
export type ListRendersUseCase = ReturnType<typeof createListRenders>;
export type CancelRenderUseCase = ReturnType<typeof createCancelRender>;
