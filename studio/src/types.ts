/** The API's shapes as the page uses them (see src/http/api-schemas.ts for the full schemas). */

export interface FieldProblem { readonly pointer: string; readonly detail: string }

export type MergeValues = Record<string, string | number | boolean>;

export interface RenderRequest {
  readonly composition: unknown;
  readonly merge?: MergeValues;
  readonly metadata?: Record<string, unknown>;
}

export interface OutputFile { readonly url: string; readonly contentType: string; readonly bytes: number }

export interface Render {
  readonly id: string;
  readonly status: 'queued' | 'preparing' | 'rendering' | 'finalizing' | 'succeeded' | 'failed' | 'canceled';
  readonly progress: number;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly duration: number;
  readonly format: string;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly outputs: { readonly video?: OutputFile; readonly poster?: OutputFile; readonly thumbnail?: OutputFile };
  readonly metadata: Record<string, unknown> | null;
}

export interface ValidationResult {
  readonly duration: number;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly format: string;
  readonly warnings: readonly FieldProblem[];
}

export interface Asset {
  readonly id: string;
  readonly src: string;
  readonly filename: string | null;
  readonly contentType: string;
  readonly bytes: number;
}
