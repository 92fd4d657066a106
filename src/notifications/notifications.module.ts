import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Mailer } from './mailer.service.js';
import { Notification } from './notification.entity.js';

@Module({ imports: [TypeOrmModule.forFeature([Notification])], providers: [Mailer], exports: [Mailer] })
export class NotificationsModule {}
