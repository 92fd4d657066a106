import { Module } from '@nestjs/common';
import { ConnectionModule } from '../connection/connection.module.js';
import { InboxRepository } from './inbox.repository.js';
import { SignatureFailures } from './signature-failures.js';

/**
 * What other modules read of the inbox (its repository, the signature-failure counts), on its own so that
 * modules the webhooks module itself imports can use it too.
 */
@Module({ imports: [ConnectionModule], providers: [InboxRepository, SignatureFailures], exports: [InboxRepository, SignatureFailures] })
export class InboxModule {}
