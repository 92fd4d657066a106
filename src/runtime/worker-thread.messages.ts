/** The messages between the api side of ROLE=all and the thread that runs its workers. */
export type ThreadRequestKind = 'health' | 'metrics';

export type ThreadRequest = { kind: ThreadRequestKind; id: number } | { kind: 'shutdown' };

export type ThreadReply = { kind: 'ready' } | { kind: 'result'; id: number; result: unknown } | { kind: 'error'; id: number; message: string };
