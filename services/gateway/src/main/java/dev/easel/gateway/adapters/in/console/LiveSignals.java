package dev.easel.gateway.adapters.in.console;

import dev.easel.gateway.adapters.in.messaging.EventFeed;
import dev.easel.gateway.adapters.in.messaging.EventFeed.FeedEvent;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /live?topic=nodes&topic=clusters}: a signal, as a Server-Sent Event named after the
 * topic, whenever an event of that context arrives. It carries no data a page shows: the page's
 * parts listen with {@code hx-trigger="sse:nodes"} and read themselves again through the API, so
 * what reaches the browser is always what its role may read. Bursts are folded: one signal per
 * topic per 300 ms at most.
 */
@RestController
class LiveSignals {

  /** A topic and the event type prefix it follows. */
  static String prefixOf(String topic) {
    return switch (topic) {
      case "nodes", "clusters", "packs", "compliance", "audit", "gateway" -> "dev.easel." + topic;
      default -> null;
    };
  }

  private final EventFeed feed;
  private final ExecutorService writers;
  private final ScheduledExecutorService timers;

  LiveSignals(
      EventFeed feed,
      ExecutorService eventStreamWriters,
      ScheduledExecutorService eventStreamHeartbeats) {
    this.feed = feed;
    this.writers = eventStreamWriters;
    this.timers = eventStreamHeartbeats;
  }

  @GetMapping(path = "/live", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter live(@RequestParam(name = "topic", required = false) List<String> topics) {
    SseEmitter emitter = new SseEmitter(30L * 60 * 1000);
    List<String> wanted =
        topics == null ? List.of() : topics.stream().filter(t -> prefixOf(t) != null).toList();
    Signals signals = new Signals(emitter, wanted);
    try {
      emitter.send(SseEmitter.event().comment("easel console"));
    } catch (IOException e) {
      emitter.completeWithError(e);
      return emitter;
    }
    AutoCloseable subscription =
        feed.subscribe(signals, new EventFeed.Filter(null, null, null), null, gone -> {});
    var beat = timers.scheduleWithFixedDelay(() -> signals.ping(), 15, 15, TimeUnit.SECONDS);
    Runnable end =
        () -> {
          signals.closed.set(true);
          beat.cancel(false);
          try {
            subscription.close();
          } catch (Exception e) {
            // nothing held
          }
        };
    emitter.onCompletion(end);
    emitter.onTimeout(end);
    emitter.onError(e -> end.run());
    return emitter;
  }

  private final class Signals implements EventFeed.Subscriber {
    private final SseEmitter emitter;
    private final List<String> topics;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    Signals(SseEmitter emitter, List<String> topics) {
      this.emitter = emitter;
      this.topics = topics;
    }

    @Override
    public boolean offer(FeedEvent event) {
      if (closed.get() || event.type() == null) {
        return true;
      }
      for (String t : topics) {
        if (event.type().startsWith(prefixOf(t) + ".")) {
          pending.add(t);
        }
      }
      if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
        timers.schedule(() -> writers.execute(this::flush), 300, TimeUnit.MILLISECONDS);
      }
      return true;
    }

    @Override
    public void overflowed() {
      closed.set(true);
      writers.execute(emitter::complete);
    }

    void ping() {
      if (!closed.get()) {
        writers.execute(
            () -> {
              try {
                emitter.send(SseEmitter.event().comment("keep-alive"));
              } catch (IOException | IllegalStateException e) {
                closed.set(true);
                emitter.completeWithError(e);
              }
            });
      }
    }

    private void flush() {
      scheduled.set(false);
      try {
        for (String t : List.copyOf(pending)) {
          pending.remove(t);
          emitter.send(SseEmitter.event().name(t).data(t));
        }
      } catch (IOException | IllegalStateException e) {
        closed.set(true);
        emitter.completeWithError(e);
      }
    }
  }
}
