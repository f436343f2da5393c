import type { AuditSink, Logger } from '../spec/plugin';
import type { AuditEventInput, AuditStore } from '../spec/store';

/**
 * Audit events are appended in order, one at a time (the store links each to the previous
 * hash), off the request path. flush() waits until everything recorded so far is stored.
 */
export class QueuedAuditSink implements AuditSink {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: AuditStore,
    private readonly logger: Logger,
  ) {}

  record(event: AuditEventInput): void {
    this.tail = this.tail.then(
      () =>
        this.store.append(event).then(
          () => undefined,
          (err: unknown) => this.logger.error({ err, event: event.event }, 'audit append failed'),
        ),
    );
  }

  flush(): Promise<void> {
    return this.tail;
  }
}
