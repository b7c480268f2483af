package dev.easel.clusters.adapters.in.web;

import dev.easel.clusters.adapters.out.signals.TimelineWakeups;
import dev.easel.clusters.application.ClusterQueries;
import dev.easel.clusters.application.port.Timeline;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of clusters' timelines. Each stream first sends what came after the client's
 * {@code Last-Event-ID}, then each new entry as it commits: woken by this instance's changes, and
 * polling every second for another instance's. A stream ends after 30 minutes; the client resumes
 * where it left off.
 */
@Component
class TimelineStreams {

  static final Duration LIFETIME = Duration.ofMinutes(30);
  private static final long POLL_MS = 1_000;
  private static final long KEEPALIVE_MS = 15_000;

  private final ClusterQueries queries;
  private final TimelineWakeups wakeups;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "cluster-timeline-streams");
            t.setDaemon(true);
            return t;
          });
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();

  TimelineStreams(ClusterQueries queries, TimelineWakeups wakeups) {
    this.queries = queries;
    this.wakeups = wakeups;
    timer.scheduleWithFixedDelay(this::pollAll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
  }

  SseEmitter open(UUID clusterId, long after) {
    SseEmitter emitter = new SseEmitter(LIFETIME.toMillis());
    Stream s = new Stream(clusterId, emitter, after);
    open.add(s);
    s.unfollow = wakeups.follow(clusterId, () -> timer.execute(s::pump));
    emitter.onCompletion(s::close);
    emitter.onTimeout(s::close);
    emitter.onError(e -> s.close());
    timer.execute(s::pump);
    return emitter;
  }

  private void pollAll() {
    for (Stream s : open) {
      s.pump();
    }
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
    open.forEach(s -> s.emitter.complete());
  }

  private final class Stream {
    final UUID clusterId;
    final SseEmitter emitter;
    long last;
    long lastSentAt = System.currentTimeMillis();
    Runnable unfollow = () -> {};
    volatile boolean closed;

    Stream(UUID clusterId, SseEmitter emitter, long after) {
      this.clusterId = clusterId;
      this.emitter = emitter;
      this.last = after;
    }

    synchronized void pump() {
      if (closed) {
        return;
      }
      try {
        List<Timeline.Entry> entries;
        do {
          entries = queries.timeline(clusterId, last, 200);
          for (Timeline.Entry e : entries) {
            emitter.send(
                SseEmitter.event()
                    .id(Long.toString(e.seq()))
                    .name("timeline")
                    .data(ClusterViews.entry(e), MediaType.APPLICATION_JSON));
            last = e.seq();
            lastSentAt = System.currentTimeMillis();
          }
        } while (entries.size() == 200);
        if (System.currentTimeMillis() - lastSentAt > KEEPALIVE_MS) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
          lastSentAt = System.currentTimeMillis();
        }
      } catch (IOException | IllegalStateException e) {
        close();
      } catch (RuntimeException e) {
        // The database is away; the next poll tries again.
      }
    }

    void close() {
      closed = true;
      open.remove(this);
      unfollow.run();
    }
  }
}
