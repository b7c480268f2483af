package dev.easel.packs.adapters.out.oci;

import dev.easel.packs.application.port.RegistryFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The few JSON answers of the distribution API the client reads itself. */
final class Json {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  /** The strings of one array field, such as {@code repositories} or {@code tags}. */
  static List<String> stringList(String body, String field) throws IOException {
    try {
      JsonNode node = MAPPER.readTree(body).get(field);
      List<String> out = new ArrayList<>();
      if (node != null && node.isArray()) {
        node.forEach(n -> out.add(n.asString()));
      }
      return out;
    } catch (JacksonException e) {
      throw new RegistryFailure(
          RegistryFailure.Kind.PROTOCOL,
          "the registry's list is not JSON: " + e.getOriginalMessage());
    }
  }

  record Token(String value, long expiresIn) {}

  /** A token service's answer: {@code token} or {@code access_token}, and {@code expires_in}. */
  static Token token(String body) throws IOException {
    try {
      JsonNode n = MAPPER.readTree(body);
      JsonNode t = n.has("token") ? n.get("token") : n.get("access_token");
      if (t == null || t.asString().isBlank()) {
        throw new RegistryFailure(RegistryFailure.Kind.PROTOCOL, "the token service sent no token");
      }
      return new Token(t.asString(), n.has("expires_in") ? n.get("expires_in").asLong() : 60);
    } catch (JacksonException e) {
      throw new RegistryFailure(
          RegistryFailure.Kind.PROTOCOL, "the token service's answer is not JSON");
    }
  }
}
