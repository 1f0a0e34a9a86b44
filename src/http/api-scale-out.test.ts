// The HTTP API suite (api.suite.ts) against `montage api` on PostgreSQL, Redis and S3 (s3rver):
// the same tests as against `montage serve`, because the behaviour must be the same.
import { httpApiSuite } from './api.suite.ts';

httpApiSuite('scale-out');
