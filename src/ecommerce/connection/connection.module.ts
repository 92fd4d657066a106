import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PosModule } from '../../pos/pos.module.js';
import { PollingModule } from '../polling/polling.module.js';
import { AccessTokenService } from './access-token.service.js';
import { ConnectionLocationService } from './connection-location.service.js';
import { ConnectionSchedules } from './connection-schedules.service.js';
import { ConnectionController } from './connection.controller.js';
import { ConnectionService } from './connection.service.js';
import { EcommerceConnection } from './ecommerce-connection.entity.js';
import { OAuthState } from './oauth-state.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([EcommerceConnection, OAuthState]), PosModule, PollingModule],
  controllers: [ConnectionController],
  providers: [ConnectionService, AccessTokenService, ConnectionSchedules, ConnectionLocationService],
  exports: [ConnectionService, AccessTokenService, ConnectionLocationService],
})
export class ConnectionModule {}
