import { Module } from '@nestjs/common';
import { ForwardingQueries } from './forwarding.queries.js';
import { ForwardingRepository } from './forwarding.repository.js';

/** The forwarding tables as other modules (status) read them, apart from the module that sends. */
@Module({ providers: [ForwardingRepository, ForwardingQueries], exports: [ForwardingRepository, ForwardingQueries] })
export class ForwardingStoreModule {}
