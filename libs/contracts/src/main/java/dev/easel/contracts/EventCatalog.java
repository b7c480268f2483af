package dev.easel.contracts;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the event catalogue, a Markdown table of every contract, from the registry. Generating it
 * rather than writing it by hand is what keeps it true; a test fails when the checked-in copy is
 * stale.
 */
public final class EventCatalog {

  private EventCatalog() {}

  public static String render(ContractRegistry registry) {
    StringBuilder out = new StringBuilder();
    out.append("# Easel event catalogue\n\n")
        .append("Generated from `libs/contracts` by `EventCatalogTest`; do not edit by hand.\n")
        .append("Regenerate with `./mvnw -pl libs/contracts test -Deasel.catalog.write=true`.\n\n")
        .append("Every message is a CloudEvents 1.0 record in binary mode: attributes in `ce_*`")
        .append(
            " Kafka headers, JSON data in the value. Consumers ignore unknown fields and types.\n\n")
        .append("| type | kind | topic | fields | meaning |\n")
        .append("|---|---|---|---|---|\n");
    List<Class<?>> sorted =
        registry.contracts().stream()
            .sorted(Comparator.comparing(registry::typeOf))
            .collect(Collectors.toList());
    for (Class<?> c : sorted) {
      Contract contract = c.getAnnotation(Contract.class);
      ContractType type = ContractType.parse(registry.typeOf(c));
      out.append("| `")
          .append(type)
          .append("` | ")
          .append(contract.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | `")
          .append(Topics.forKind(contract.kind(), type.context()))
          .append("` | ")
          .append(fields(c))
          .append(" | ")
          .append(contract.description())
          .append(" |\n");
    }
    return out.toString();
  }

  private static String fields(Class<?> record) {
    StringBuilder s = new StringBuilder();
    for (RecordComponent rc : record.getRecordComponents()) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append('`')
          .append(rc.getName())
          .append(": ")
          .append(simple(rc.getGenericType()))
          .append('`');
    }
    return s.toString();
  }

  private static String simple(Type type) {
    return type.getTypeName().replaceAll("[a-z0-9_]+(\\.[a-z0-9_]+)*\\.", "").replace('$', '.');
  }
}
