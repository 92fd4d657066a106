import { array, object, oneOfValues, string } from '../common/openapi/schema.js';

const CHECK = object({ status: oneOfValues(['up', 'down']), message: string({ description: 'Why it is down' }) }, ['message']);

export const HEALTH_SCHEMA = object(
  {
    status: oneOfValues(['ok', 'error']),
    checks: { type: 'object', additionalProperties: CHECK, description: 'database, redis, workers (health) or serving, database (ready)' },
    failing: array(string()),
  },
  ['failing'],
);
