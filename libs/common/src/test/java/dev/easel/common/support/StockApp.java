package dev.easel.common.support;

import dev.easel.common.config.ContractTypes;
import dev.easel.common.inbox.InboundMessage;
import dev.easel.common.inbox.InboxProcessor;
import dev.easel.common.saga.ParticipantReplies;
import dev.easel.common.support.TestContracts.AlwaysFails;
import dev.easel.common.support.TestContracts.ConfirmOrder;
import dev.easel.common.support.TestContracts.ReleaseStock;
import dev.easel.common.support.TestContracts.ReserveStock;
import dev.easel.common.support.TestContracts.StockReserved;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.messaging.Message;

/**
 * A test participant that keeps a stock ledger. SKU {@code refused} is never reserved, SKU {@code
 * sticky} can never be released, and an order id starting with {@code refuse-} is not confirmed.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StockApp {

  @Bean
  ContractTypes testContracts() {
    return new ContractTypes(TestContracts.ALL);
  }

  @Bean
  Consumer<Message<List<byte[]>>> stockCommands(
      InboxProcessor inbox, ParticipantReplies replies, JdbcTemplate jdbc) {
    return inbox.consumer(
        "stock-commands",
        h ->
            h.on(ReserveStock.class, cmd -> replies.answer(cmd, reserve(jdbc, cmd)))
                .on(ReleaseStock.class, cmd -> replies.answer(cmd, release(jdbc, cmd)))
                .on(
                    ConfirmOrder.class,
                    cmd ->
                        replies.answer(
                            cmd,
                            cmd.payload().orderId().startsWith("refuse-")
                                ? ParticipantReplies.refused(
                                    "order-refused", "this order cannot be confirmed", List.of())
                                : ParticipantReplies.succeeded()))
                .on(
                    AlwaysFails.class,
                    cmd -> {
                      throw new IllegalStateException(
                          "handler always fails: " + cmd.payload().note());
                    }));
  }

  private static ParticipantReplies.Outcome reserve(
      JdbcTemplate jdbc, InboundMessage<ReserveStock> cmd) {
    ReserveStock r = cmd.payload();
    if ("refused".equals(r.sku())) {
      return ParticipantReplies.refused("out-of-stock", "no stock of " + r.sku(), List.of(r.sku()));
    }
    jdbc.update(
        "INSERT INTO stock_ledger (request_id, sku, op) VALUES (?, ?, 'reserve') ON CONFLICT DO NOTHING",
        cmd.envelope().requestId(),
        r.sku());
    return ParticipantReplies.succeeded(new StockReserved(r.orderId(), r.sku()));
  }

  private static ParticipantReplies.Outcome release(
      JdbcTemplate jdbc, InboundMessage<ReleaseStock> cmd) {
    ReleaseStock r = cmd.payload();
    if ("sticky".equals(r.sku())) {
      return ParticipantReplies.retryLater("locked", "stock of sticky is locked");
    }
    jdbc.update(
        "INSERT INTO stock_ledger (request_id, sku, op) VALUES (?, ?, 'release') ON CONFLICT DO NOTHING",
        cmd.envelope().requestId(),
        r.sku());
    return ParticipantReplies.succeeded();
  }
}
