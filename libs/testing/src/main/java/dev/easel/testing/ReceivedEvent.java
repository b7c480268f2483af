package dev.easel.testing;

import java.util.Map;

/**
 * A message a test saw on the bus.
 *
 * @param topic where it was
 * @param partition its partition
 * @param offset its offset
 * @param key its Kafka key
 * @param headers its headers as text
 * @param type its {@code ce_type}
 * @param payload the decoded contract record, or null for an unknown type
 */
public record ReceivedEvent<T>(
    String topic,
    int partition,
    long offset,
    String key,
    Map<String, String> headers,
    String type,
    T payload) {

  public String header(String name) {
    return headers.get(name);
  }
}
