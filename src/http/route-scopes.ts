/**
 * The OAuth scope each /v1 route needs from an access token (API keys carry every scope). The
 * route group is the first path segment after /v1; reading needs `:read`, anything else `:write`.
 * `POST /v1/validate` checks a render request, so it counts as a renders write (as submitting does).
 * A route outside the known groups falls back to the renders scopes, by method.
 */
export const OAUTH_SCOPES = {
  'montage:renders:read': 'Read renders, their events and outputs',
  'montage:renders:write': 'Submit, cancel and validate renders',
  'montage:assets:read': 'Read uploaded assets',
  'montage:assets:write': 'Upload and delete assets',
  'montage:templates:read': 'Read templates',
  'montage:templates:write': 'Create, replace and delete templates',
} as const;

export type OAuthScope = keyof typeof OAUTH_SCOPES;

const GROUPS: Readonly<Record<string, 'renders' | 'assets' | 'templates'>> = {
  renders: 'renders', validate: 'renders', assets: 'assets', templates: 'templates',
};

/** `method` and the route's pattern (`/v1/renders/:id`) → the scope a token needs. */
export function requiredScope(method: string, routeUrl: string): OAuthScope {
  const segment = /^\/v1\/([^/?]+)/.exec(routeUrl)?.[1] ?? '';
  const group = GROUPS[segment] ?? 'renders';
  const read = (method === 'GET' || method === 'HEAD') && segment !== 'validate';
  return `montage:${group}:${read ? 'read' : 'write'}`;
}
