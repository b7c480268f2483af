package dev.easel.gateway.application;

import dev.easel.common.outbox.OutboundMessage;
import dev.easel.common.outbox.Outbox;
import dev.easel.contracts.Topics;
import dev.easel.contracts.gateway.OperatorRequestRecorded;
import java.time.Clock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator trail: every request that changed something or was refused, as an event on {@code
 * easel.gateway.events}, keyed by actor so one operator's requests stay in order.
 */
@Service
public class Trail {

  private final Outbox outbox;
  private final TransactionTemplate tx;
  private final Clock clock;

  public Trail(Outbox outbox, TransactionTemplate tx, Clock clock) {
    this.outbox = outbox;
    this.tx = tx;
    this.clock = clock;
  }

  /** Whether a request with this method and answer belongs in the trail. */
  public static boolean recorded(String method, int status) {
    boolean reads = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    return !reads || status == 401 || status == 403 || status == 429;
  }

  public void record(
      String actor,
      String method,
      String route,
      String resource,
      int status,
      String requestId,
      String address) {
    OperatorRequestRecorded event =
        new OperatorRequestRecorded(
            actor, method, route, resource, status, requestId, address, clock.instant());
    tx.executeWithoutResult(
        s ->
            outbox.append(
                new OutboundMessage(
                    Topics.events("gateway"),
                    actor,
                    event,
                    null,
                    null,
                    null,
                    requestId,
                    null,
                    actor,
                    null,
                    null)));
  }
}
