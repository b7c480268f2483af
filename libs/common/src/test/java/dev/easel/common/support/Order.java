package dev.easel.common.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The test saga's data.
 *
 * @param unavailable what the stock refused, as the saga's refusal handler recorded it
 */
public record Order(
    String orderId,
    List<String> skus,
    List<String> reserved,
    String confirmTo,
    List<String> unavailable) {

  public static Order of(String orderId, List<String> skus, String confirmTo) {
    return new Order(orderId, skus, List.of(), confirmTo, List.of());
  }

  public Order withReserved(String sku) {
    List<String> r = new ArrayList<>(reserved);
    r.add(sku);
    return new Order(orderId, skus, r, confirmTo, unavailable);
  }

  public Order withUnavailable(List<String> skus) {
    List<String> u = new ArrayList<>(unavailable);
    u.addAll(skus);
    return new Order(orderId, this.skus, reserved, confirmTo, u);
  }
}
