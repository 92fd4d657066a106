import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SyncLogController } from './sync-log.controller.js';
import { SyncLog } from './sync-log.entity.js';
import { SyncLogService } from './sync-log.service.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SyncLog])],
  controllers: [SyncLogController],
  providers: [SyncLogService],
  exports: [SyncLogService],
})
export class SyncLogModule {}
