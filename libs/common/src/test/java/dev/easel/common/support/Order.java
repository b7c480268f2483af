package dev.easel.common.support;

import java.util.ArrayList;
import java.util.List;

/** The test saga's data. */
public record Order(String orderId, List<String> skus, List<String> reserved, String confirmTo) {

  public Order withReserved(String sku) {
    List<String> r = new ArrayList<>(reserved);
    r.add(sku);
    return new Order(orderId, skus, r, confirmTo);
  }
}
