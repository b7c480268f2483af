package dev.easel.common.outbox;

import java.time.Duration;
import java.util.List;

/** Sends batches of outbox records to the broker, several at a time. */
public interface OutboxSender extends AutoCloseable {

  /**
   * Hands the records to the broker in order and returns at once; the flight reports their
   * acknowledgements. Batches sent one after another are written in that order per partition.
   *
   * @param answered called once every record has its answer, from a sender thread
   */
  Flight send(List<OutboxRecord> batch, Runnable answered);

  /** Abandons everything not yet acknowledged; the next send starts afresh. */
  @Override
  void close();

  /** One batch on its way. */
  interface Flight {

    List<OutboxRecord> records();

    /** Whether every record has its answer, acknowledgement or refusal. */
    boolean isDone();

    /** How long ago it was sent. */
    Duration age();

    /** When the broker acknowledged the record at this index, or null if it has not. */
    java.time.Instant acknowledgedAt(int index);

    /**
     * Waits up to {@code timeout} for the answers.
     *
     * @return how many records, from the start of the batch, the broker acknowledged. With an
     *     idempotent producer a partition never accepts a record after one it refused, so this
     *     prefix is exactly what may be marked published without breaking per-key order.
     */
    int awaitAcknowledged(Duration timeout);
  }
}
