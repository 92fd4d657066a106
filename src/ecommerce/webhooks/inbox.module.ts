import { Module } from '@nestjs/common';
import { InboxRepository } from './inbox.repository.js';

/** The inbox table's repository on its own, so that modules the webhooks module itself imports can use it too. */
@Module({ providers: [InboxRepository], exports: [InboxRepository] })
export class InboxModule {}
