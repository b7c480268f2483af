package dev.easel.gateway.adapters.in.messaging;

import dev.easel.common.envelope.Envelope;
import dev.easel.common.envelope.EnvelopeCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every service's events, read once by this instance from {@code easel.*.events} and handed to each
 * live stream. The latest {@code bufferSize} are kept so a stream that reconnects with its last
 * event's id misses nothing. The reading thread never waits for a stream: each stream has its own
 * queue, and one that falls too far behind is closed, to resume from the buffer.
 */
public class EventFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EventFeed.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern TOPICS = Pattern.compile("easel\\.[^.]+\\.events");

  /** One event as a stream sends it: a structured-mode CloudEvent in JSON. */
  public record FeedEvent(
      long seq, String id, String type, String source, String subject, String json) {}

  /** What a stream wants: null or empty lists match anything. */
  public record Filter(List<String> types, List<String> subjects, List<String> sources)
      implements Predicate<FeedEvent> {
    @Override
    public boolean test(FeedEvent e) {
      return matches(types, e.type())
          && matches(subjects, e.subject())
          && matches(sources, e.source());
    }

    private static boolean matches(List<String> wanted, String value) {
      return wanted == null || wanted.isEmpty() || (value != null && wanted.contains(value));
    }
  }

  /** A stream's end of the feed. */
  public interface Subscriber {
    /**
     * Takes one event without waiting.
     *
     * @return false when the stream's queue is full: it is then dropped
     */
    boolean offer(FeedEvent event);

    /** The stream fell behind and is dropped; it should close so its client reconnects. */
    void overflowed();
  }

  private final String bootstrap;
  private final int bufferSize;
  private final ArrayDeque<FeedEvent> buffer = new ArrayDeque<>();
  private final Map<String, Long> seqById = new LinkedHashMap<>();
  private final Set<Registration> subscribers = new CopyOnWriteArraySet<>();
  private final AtomicLong seq = new AtomicLong();
  private final Object lock = new Object();
  private volatile boolean running = true;
  private volatile boolean assigned;
  private KafkaConsumer<String, byte[]> consumer;
  private Thread reader;

  private record Registration(Subscriber subscriber, Filter filter) {}

  public EventFeed(String bootstrap, int bufferSize) {
    this.bootstrap = bootstrap;
    this.bufferSize = bufferSize;
  }

  public void start() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // A group of its own: every instance reads every event, and commits nothing.
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "easel-gateway-feed-" + UUID.randomUUID());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(p);
    consumer.subscribe(
        TOPICS,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
          }
        });
    reader = new Thread(this::read, "gateway-event-feed");
    reader.setDaemon(true);
    reader.start();
  }

  /** Whether the feed has its partitions and sees what is published from now on. */
  public boolean ready() {
    return assigned;
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          FeedEvent e;
          try {
            e = toEvent(r);
          } catch (RuntimeException ex) {
            log.debug("skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), ex.toString());
            continue;
          }
          publish(e);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("the event feed stopped: {}", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private FeedEvent toEvent(ConsumerRecord<String, byte[]> r) {
    Envelope env =
        EnvelopeCodec.fromHeaders(
            name -> {
              Header h = r.headers().lastHeader(name);
              return h == null ? null : h.value();
            });
    ObjectNode ce = JSON.createObjectNode();
    ce.put("specversion", "1.0");
    ce.put("id", env.id());
    ce.put("source", env.source());
    ce.put("type", env.type());
    if (env.subject() != null) {
      ce.put("subject", env.subject());
    }
    if (env.time() != null) {
      ce.put("time", env.time().toString());
    }
    ce.put("datacontenttype", "application/json");
    if (env.actor() != null) {
      ce.put("actor", env.actor());
    }
    if (env.correlationId() != null) {
      ce.put("correlationid", env.correlationId());
    }
    ce.put("topic", r.topic());
    JsonNode data;
    try {
      data = r.value() == null ? null : JSON.readTree(r.value());
    } catch (RuntimeException e) {
      data = JSON.getNodeFactory().stringNode(new String(r.value(), StandardCharsets.UTF_8));
    }
    ce.set("data", data);
    String id = r.topic() + ":" + r.partition() + ":" + r.offset();
    return new FeedEvent(0, id, env.type(), env.source(), env.subject(), ce.toString());
  }

  private void publish(FeedEvent raw) {
    List<Registration> dropped = new ArrayList<>();
    synchronized (lock) {
      FeedEvent e =
          new FeedEvent(
              seq.incrementAndGet(), raw.id(), raw.type(), raw.source(), raw.subject(), raw.json());
      buffer.addLast(e);
      seqById.put(e.id(), e.seq());
      while (buffer.size() > bufferSize) {
        FeedEvent old = buffer.removeFirst();
        seqById.remove(old.id());
      }
      for (Registration r : subscribers) {
        if (r.filter().test(e) && !r.subscriber().offer(e)) {
          dropped.add(r);
        }
      }
      dropped.forEach(subscribers::remove);
    }
    for (Registration r : dropped) {
      r.subscriber().overflowed();
    }
  }

  /**
   * Starts a stream: the buffered events after {@code lastEventId} first, when it is still
   * buffered, then every new one, with nothing lost or doubled between the two.
   *
   * @param onGap told when {@code lastEventId} is no longer buffered, so events may be missing
   * @return the handle that stops the stream
   */
  public AutoCloseable subscribe(
      Subscriber subscriber, Filter filter, String lastEventId, Consumer<String> onGap) {
    Registration reg = new Registration(subscriber, filter);
    synchronized (lock) {
      if (lastEventId != null && !lastEventId.isBlank()) {
        Long after = seqById.get(lastEventId);
        if (after == null) {
          onGap.accept(lastEventId);
        } else {
          for (FeedEvent e : buffer) {
            if (e.seq() > after && filter.test(e) && !subscriber.offer(e)) {
              subscriber.overflowed();
              return () -> {};
            }
          }
        }
      }
      subscribers.add(reg);
    }
    return () -> subscribers.remove(reg);
  }

  /** The newest {@code n} buffered events, newest first. */
  public List<FeedEvent> recent(int n) {
    List<FeedEvent> out = new ArrayList<>(n);
    synchronized (lock) {
      Iterator<FeedEvent> it = buffer.descendingIterator();
      while (it.hasNext() && out.size() < n) {
        out.add(it.next());
      }
    }
    return out;
  }

  public int streams() {
    return subscribers.size();
  }

  @Override
  public void close() {
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (reader != null) {
      try {
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
