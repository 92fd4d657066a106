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

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
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
