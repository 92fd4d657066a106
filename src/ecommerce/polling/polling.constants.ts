export const POLLING_QUEUE = 'ecommerce-polling';
export const POLL_JOB = 'poll';

export const pollSchedulerId = (connectionId: string): string => `poll:${connectionId}`;

export interface PollJobData {
  connectionId: string;
}
