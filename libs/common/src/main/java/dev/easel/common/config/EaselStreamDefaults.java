package dev.easel.common.config;

import dev.easel.contracts.Topics;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Applies the backbone's consumer policy to every Spring Cloud Stream input binding, so a service
 * states only its destinations:
 *
 * <ul>
 *   <li>batch mode: the records of one poll are handled in one inbox transaction ({@link
 *       dev.easel.common.inbox.InboxProcessor}), as the raw bytes the Kafka deserializer gave
 *       (native decoding: the inbox reads the JSON itself, by the record's CloudEvents type);
 *   <li>consumer group = the service name;
 *   <li>after the binder's bounded retries, a message goes to {@code <topic>.dlq} with the error in
 *       its headers, and the partition moves on;
 *   <li>a malformed message is not retried at all.
 * </ul>
 *
 * With {@code easel.messaging.saga.enabled=true} it also binds the saga engine's replies consumer
 * to {@code easel.<context>.replies}. Every default yields to a value the service sets itself.
 */
public class EaselStreamDefaults implements EnvironmentPostProcessor, Ordered {

  private static final Pattern DESTINATION =
      Pattern.compile("spring\\.cloud\\.stream\\.bindings\\.([^.]+)\\.destination");
  private static final String MALFORMED = "dev.easel.common.envelope.MalformedEnvelopeException";

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String context = env.getProperty("easel.messaging.context");
    String service = env.getProperty("easel.messaging.service");
    if (context == null || service == null) {
      return;
    }
    Map<String, String> destinations = new LinkedHashMap<>();
    for (PropertySource<?> source : env.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          Matcher m = DESTINATION.matcher(name);
          if (m.matches()) {
            destinations.putIfAbsent(m.group(1), String.valueOf(env.getProperty(name)));
          }
        }
      }
    }
    Map<String, Object> defaults = new LinkedHashMap<>();
    // Batched inserts (outbox rows, inbox rows, saga history) become multi-row statements.
    defaults.put("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", "true");
    if (env.getProperty("easel.messaging.saga.enabled", Boolean.class, false)) {
      String binding = EaselMessagingAutoConfiguration.SAGA_REPLIES + "-in-0";
      destinations.putIfAbsent(binding, Topics.replies(context));
      defaults.put(
          "spring.cloud.stream.bindings." + binding + ".destination", Topics.replies(context));
      Set<String> functions = new LinkedHashSet<>();
      String declared = env.getProperty("spring.cloud.function.definition", "");
      for (String f : declared.split("[;|,]")) {
        if (!f.isBlank()) {
          functions.add(f.trim());
        }
      }
      functions.add(EaselMessagingAutoConfiguration.SAGA_REPLIES);
      env.getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "easelFunctionDefinition",
                  Map.of("spring.cloud.function.definition", String.join(";", functions))));
    }
    destinations.forEach(
        (binding, destination) -> {
          if (!binding.matches(".+-in-\\d+")) {
            return;
          }
          String b = "spring.cloud.stream.bindings." + binding;
          String k = "spring.cloud.stream.kafka.bindings." + binding + ".consumer";
          defaults.put(b + ".group", service);
          defaults.put(b + ".consumer.batch-mode", "true");
          defaults.put(b + ".consumer.use-native-decoding", "true");
          defaults.put(b + ".consumer.retryable-exceptions." + MALFORMED, "false");
          defaults.put(k + ".enable-dlq", "true");
          if (!destination.contains(",")) {
            defaults.put(k + ".dlq-name", Topics.deadLetters(destination));
          }
        });
    env.getPropertySources().addLast(new MapPropertySource("easelStreamDefaults", defaults));
  }
}
