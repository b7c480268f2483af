package dev.easel.common.outbox;

import java.util.List;

/** Sends a batch of outbox records to the broker. */
public interface OutboxSender extends AutoCloseable {

  /**
   * Sends the records in order and waits for the broker's acknowledgements.
   *
   * @return how many records, from the start of the batch, the broker acknowledged. With an
   *     idempotent producer a partition never accepts a record after one it refused, so this prefix
   *     is exactly what may be marked published without breaking per-key order.
   */
  int send(List<OutboxRecord> batch);

  @Override
  void close();
}
