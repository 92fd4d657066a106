import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HealthController } from './health.controller.js';
import { WorkersProbe } from './workers-probe.js';

@Module({
  imports: [DiscoveryModule],
  controllers: [HealthController],
  providers: [WorkersProbe],
  exports: [WorkersProbe],
})
export class HealthModule {}
