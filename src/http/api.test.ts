// The HTTP API suite (api.suite.ts) against `montage serve`.
import { httpApiSuite } from './api.suite.ts';

httpApiSuite('embedded');
