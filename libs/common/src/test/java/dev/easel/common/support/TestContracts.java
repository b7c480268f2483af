package dev.easel.common.support;

import dev.easel.contracts.Contract;
import java.util.List;

/** Contracts of two made-up contexts, {@code ledger} and {@code stock}, used only by tests. */
public final class TestContracts {

  private TestContracts() {}

  public static final List<Class<?>> ALL =
      List.of(
          EntryRecorded.class,
          ReserveStock.class,
          ReleaseStock.class,
          ConfirmOrder.class,
          StockReserved.class,
          AlwaysFails.class);

  @Contract(
      value = "dev.easel.ledger.EntryRecorded.v1",
      kind = Contract.Kind.EVENT,
      description = "test")
  public record EntryRecorded(String account, long seq) {}

  @Contract(
      value = "dev.easel.stock.ReserveStock.v1",
      kind = Contract.Kind.COMMAND,
      description = "test")
  public record ReserveStock(String orderId, String sku) {}

  @Contract(
      value = "dev.easel.stock.ReleaseStock.v1",
      kind = Contract.Kind.COMMAND,
      description = "test")
  public record ReleaseStock(String orderId, String sku) {}

  @Contract(
      value = "dev.easel.stock.ConfirmOrder.v1",
      kind = Contract.Kind.COMMAND,
      description = "test")
  public record ConfirmOrder(String orderId) {}

  @Contract(
      value = "dev.easel.stock.StockReserved.v1",
      kind = Contract.Kind.REPLY,
      description = "test")
  public record StockReserved(String orderId, String sku) {}

  @Contract(
      value = "dev.easel.stock.AlwaysFails.v1",
      kind = Contract.Kind.COMMAND,
      description = "test")
  public record AlwaysFails(String note) {}
}
