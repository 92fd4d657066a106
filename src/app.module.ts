import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './common/auth/auth.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { LifecycleModule } from './common/lifecycle/shutdown-signal.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { LoggingModule } from './common/logging/logging.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { EcommerceModule } from './ecommerce/ecommerce.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { PosModule } from './pos/pos.module.js';
import { QueueModule } from './queue/queue.module.js';
import { RuntimeModule } from './runtime/runtime.module.js';
import type { WorkerThreadHandle } from './runtime/worker-supervisor.js';

@Module({})
export class AppModule {
  /** `workerThread`: the thread that runs this process's workers (main.ts under ROLE=all), for health and metrics. */
  static forRoot(config: AppConfig, workerThread: WorkerThreadHandle | null = null): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule.forRoot(workerThread),
        LifecycleModule,
        LoggingModule,
        TypeOrmModule.forRoot(dataSourceOptions(config.databaseUrl)),
        EventEmitterModule.forRoot(),
        QueueModule,
        MetricsModule,
        AuthModule,
        HealthModule,
        PosModule,
        CryptoModule,
        EcommerceModule.register(config),
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
