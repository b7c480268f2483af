package dev.easel.testing;

import dev.easel.contracts.CloudEventHeaders;
import dev.easel.contracts.ContractRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.assertj.core.api.Assertions;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Watches topics from the moment it is opened and lets a test state a scenario:
 *
 * <pre>{@code
 * try (EventStream events = EventStream.watch(registry, "easel.nodes.events")) {
 *   events.stimulate(() -> service.register(node))
 *       .andWaitForEventOfType(NodeRegistered.class)
 *       .matching(e -> e.nodeId().equals(id))
 *       .toArrive();
 * }
 * }</pre>
 */
public final class EventStream implements AutoCloseable {

  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private final ContractRegistry registry;
  private final JsonMapper json =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private final KafkaConsumer<String, byte[]> consumer;
  private final List<ReceivedEvent<Object>> received = new CopyOnWriteArrayList<>();
  private final Thread poller;
  private volatile boolean open = true;

  private EventStream(ContractRegistry registry, String bootstrap, Collection<String> topics) {
    this.registry = registry;
    consumer = KafkaClients.assignedConsumer(bootstrap, List.copyOf(topics));
    Set<TopicPartition> partitions = consumer.assignment();
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now, so that only what happens after opening is seen.
    partitions.forEach(consumer::position);
    poller = new Thread(this::poll, "easel-event-stream");
    poller.setDaemon(true);
    poller.start();
  }

  /** Starts watching the topics on the shared test broker. */
  public static EventStream watch(ContractRegistry registry, String... topics) {
    return watchOn(Infrastructure.get().kafkaBootstrapServers(), registry, topics);
  }

  public static EventStream watchOn(String bootstrap, ContractRegistry registry, String... topics) {
    return new EventStream(registry, bootstrap, List.of(topics));
  }

  /** Does whatever should cause the events. */
  public EventStream stimulate(Runnable stimulus) {
    stimulus.run();
    return this;
  }

  public <T> Expectation<T> andWaitForEventOfType(Class<T> type) {
    return new Expectation<>(type, e -> true, DEFAULT_WAIT);
  }

  /** Everything seen so far, in arrival order. */
  public List<ReceivedEvent<Object>> received() {
    return List.copyOf(received);
  }

  /** Events of one type seen so far. */
  @SuppressWarnings("unchecked")
  public <T> List<ReceivedEvent<T>> receivedOfType(Class<T> type) {
    List<ReceivedEvent<T>> out = new ArrayList<>();
    for (ReceivedEvent<Object> e : received) {
      if (type.isInstance(e.payload())) {
        out.add((ReceivedEvent<T>) (ReceivedEvent<?>) e);
      }
    }
    return out;
  }

  private void poll() {
    try {
      while (open) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          received.add(decode(r));
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ZERO);
    }
  }

  private ReceivedEvent<Object> decode(ConsumerRecord<String, byte[]> r) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      headers.put(
          h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    String type = headers.get(CloudEventHeaders.TYPE);
    Object payload = null;
    Optional<Class<?>> cls = type == null ? Optional.empty() : registry.classOf(type);
    if (cls.isPresent() && r.value() != null) {
      try {
        payload = json.readValue(r.value(), cls.get());
      } catch (RuntimeException e) {
        payload = null;
      }
    }
    return new ReceivedEvent<>(
        r.topic(), r.partition(), r.offset(), r.key(), headers, type, payload);
  }

  @Override
  public void close() {
    open = false;
    consumer.wakeup();
    try {
      poller.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the test expects of one type of event. */
  public final class Expectation<T> {

    private final Class<T> type;
    private final Predicate<T> condition;
    private final Duration wait;

    private Expectation(Class<T> type, Predicate<T> condition, Duration wait) {
      this.type = type;
      this.condition = condition;
      this.wait = wait;
    }

    public Expectation<T> matching(Predicate<T> more) {
      return new Expectation<>(type, condition.and(more), wait);
    }

    public Expectation<T> within(Duration timeout) {
      return new Expectation<>(type, condition, timeout);
    }

    /** Waits until a matching event arrives, and returns it; fails after the wait. */
    public ReceivedEvent<T> toArrive() {
      return toArriveTimes(1).get(0);
    }

    /** Waits until {@code n} matching events arrived, and returns them in arrival order. */
    public List<ReceivedEvent<T>> toArriveTimes(int n) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (true) {
        List<ReceivedEvent<T>> matches = matches();
        if (matches.size() >= n) {
          return matches.subList(0, n);
        }
        if (System.nanoTime() > deadline) {
          Assertions.fail(
              "expected %d event(s) of type %s matching the condition within %s, saw %d; all"
                  + " types seen: %s",
              n, type.getSimpleName(), wait, matches.size(), typesSeen());
        }
        sleep();
      }
    }

    /**
     * Waits for one matching event, then asserts that no second one arrives during the given time:
     * for a duplicate that must change nothing.
     */
    public ReceivedEvent<T> toArriveOnlyOnceWithin(Duration during) {
      ReceivedEvent<T> first = toArrive();
      long deadline = System.nanoTime() + during.toNanos();
      while (System.nanoTime() < deadline) {
        List<ReceivedEvent<T>> matches = matches();
        if (matches.size() > 1) {
          Assertions.fail(
              "expected one event of type %s matching the condition, got a second: %s",
              type.getSimpleName(), matches.get(1).payload());
        }
        sleep();
      }
      return first;
    }

    /** Asserts that no matching event arrives during the given time. */
    public void toNotArriveWithin(Duration during) {
      long deadline = System.nanoTime() + during.toNanos();
      while (System.nanoTime() < deadline) {
        List<ReceivedEvent<T>> matches = matches();
        if (!matches.isEmpty()) {
          Assertions.fail(
              "expected no event of type %s matching the condition, got %s",
              type.getSimpleName(), matches.get(0).payload());
        }
        sleep();
      }
    }

    private List<ReceivedEvent<T>> matches() {
      return receivedOfType(type).stream().filter(e -> condition.test(e.payload())).toList();
    }

    private List<String> typesSeen() {
      return received.stream().map(ReceivedEvent::type).distinct().toList();
    }

    private void sleep() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
