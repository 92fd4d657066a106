import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RedisOutageLog } from './redis-outage.js';
import { RedisClient } from './redis.provider.js';
import { ScheduleKeeper } from './schedule-keeper.js';

/** BullMQ and the app's Redis client, both from REDIS_URL. Feature modules register their own queues. */
@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.redisUrl },
        prefix: config.queuePrefix,
      }),
    }),
  ],
  providers: [RedisClient, ScheduleKeeper, RedisOutageLog],
  exports: [RedisClient, ScheduleKeeper, RedisOutageLog],
})
export class QueueModule {}
