/** The messages between the api side of ROLE=all and the thread that runs its workers. */
export type ThreadRequestKind = 'health' | 'metrics';

/** `deliveries`: webhook deliveries just stored by the api side, for the thread to process without a trip through Redis. */
export type ThreadRequest = { kind: ThreadRequestKind; id: number } | { kind: 'shutdown' } | { kind: 'deliveries'; ids: string[] };

export type ThreadReply = { kind: 'ready' } | { kind: 'result'; id: number; result: unknown } | { kind: 'error'; id: number; message: string };
