import { Module } from '@nestjs/common';
import { StatusRequestRepository } from './status-request.repository.js';

/** The status-request tables as other modules (status) read them, apart from the module that carries them out. */
@Module({ providers: [StatusRequestRepository], exports: [StatusRequestRepository] })
export class StatusSyncStoreModule {}
