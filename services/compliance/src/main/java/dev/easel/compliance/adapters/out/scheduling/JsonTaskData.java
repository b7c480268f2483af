package dev.easel.compliance.adapters.out.scheduling;

import com.github.kagkarlsson.scheduler.serializer.Serializer;
import tools.jackson.databind.ObjectMapper;

/**
 * Task data as JSON rather than Java serialization: readable in the table, and a renamed class
 * never leaves executions that cannot be read.
 */
final class JsonTaskData implements Serializer {

  private final ObjectMapper json;

  JsonTaskData(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public byte[] serialize(Object data) {
    return data == null ? null : json.writeValueAsBytes(data);
  }

  @Override
  public <T> T deserialize(Class<T> type, byte[] data) {
    return data == null ? null : json.readValue(data, type);
  }
}
