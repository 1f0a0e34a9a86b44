/** Import problems as one registry error, each problem's path a JSON Pointer into the Edit. */
import { pointerToken } from '../composition/json-pointer.ts';
import { MontageError } from '../errors/registry.ts';
import type { EditProblem } from './edit-problems.ts';

const pointer = (path: readonly (string | number)[]) => `/${path.map(pointerToken).join('/')}`;

export const editUnsupported = (problems: readonly EditProblem[]): MontageError =>
  new MontageError('MONTAGE_E_EDIT_UNSUPPORTED',
    `The Edit has ${problems.length} problem${problems.length === 1 ? '' : 's'} Montage cannot render.`,
    { problems: problems.map((p) => ({ pointer: p.path.length ? pointer(p.path) : '', detail: p.message })) });
