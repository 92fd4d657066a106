import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { defaultQueuePrefix } from '../src/config/load-config.js';
import { PROCESS_DELIVERY_JOB, WEBHOOKS_QUEUE } from '../src/ecommerce/webhooks/webhooks.constants.js';
import { eventually } from './support/eventually.js';
import { ProcessBed } from './support/process-bed.js';
import { deleteRedisKeys, REDIS_URL } from './support/test-app.js';

/**
 * Two deployments (each its own database) on one Redis, neither setting QUEUE_PREFIX: with a shared default
 * prefix they would take each other's delivery jobs; the prefix derived from the database keeps them apart.
 */
describe('two deployments on one Redis', () => {
  let beds: ProcessBed[] = [];
  let prefixes: string[] = [];

  beforeAll(async () => {
    beds = [await ProcessBed.start({ QUEUE_PREFIX: '' }), await ProcessBed.start({ QUEUE_PREFIX: '' })];
    prefixes = beds.map((bed) => defaultQueuePrefix(bed.env.DATABASE_URL));
  });
  afterAll(async () => {
    for (const bed of beds) await bed.stop();
    for (const prefix of prefixes) await deleteRedisKeys(prefix);
  });

  it('keep their own queues by default: each ingests its own orders exactly, under a prefix named for its database', async () => {
    expect(prefixes[0]).not.toBe(prefixes[1]);
    const apps = await Promise.all(beds.map((bed) => bed.app()));
    const shops = beds.map((_, i) => `shared-redis-${i}.myshopify.com`);
    const businesses = await Promise.all(beds.map((bed, i) => bed.connected(apps[i], shops[i])));
    await Promise.all(beds.map((bed, i) => bed.burst(shops[i], 40, 1000)));
    for (const [i, bed] of beds.entries()) {
      await bed.emulator.webhooks.idle();
      await bed.expectExact(businesses[i], shops[i]);
    }
    const redis = new Redis(REDIS_URL);
    try {
      for (const [i, prefix] of prefixes.entries()) {
        expect(prefix).toContain(beds[i].database);
        expect((await redis.keys(`${prefix}:${WEBHOOKS_QUEUE}:*`)).length).toBeGreaterThan(0);
      }
    } finally {
      redis.disconnect();
    }
    for (const app of apps) expect(app.output).not.toMatch(/is not in this database/);
  });

  it('a job for a delivery the database does not hold is logged with the likely cause, not dropped silently', async () => {
    const app = beds[0].apps[0];
    const queue = new Queue(WEBHOOKS_QUEUE, { connection: { url: REDIS_URL }, prefix: prefixes[0] });
    try {
      const stranger = randomUUID();
      await queue.add(PROCESS_DELIVERY_JOB, { deliveryId: stranger }, { jobId: stranger });
      await eventually(() => expect(app.output).toMatch(new RegExp(`Delivery ${stranger} is not in this database.*QUEUE_PREFIX`)));
    } finally {
      await queue.close();
    }
  });
});
