package dev.easel.gateway.adapters.in.web;

import dev.easel.gateway.adapters.in.messaging.EventFeed;
import dev.easel.gateway.adapters.in.messaging.EventFeed.FeedEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/events}: every service's events, live, as Server-Sent Events whose data is a
 * structured CloudEvent and whose id resumes the stream ({@code Last-Event-ID}). Each stream is
 * written by a task of its own, so a client that stops reading holds up only itself, until its
 * queue fills and it is closed.
 */
@RestController
class EventsController {

  private final EventFeed feed;
  private final ExecutorService writers;
  private final ScheduledExecutorService heartbeats;
  private final int queueSize;
  private final Duration streamTimeout;

  EventsController(
      EventFeed feed,
      ExecutorService eventStreamWriters,
      ScheduledExecutorService eventStreamHeartbeats,
      @org.springframework.beans.factory.annotation.Value("${easel.gateway.events.queue-size:1024}")
          int queueSize,
      @org.springframework.beans.factory.annotation.Value("${easel.gateway.events.buffer:10000}")
          int buffer,
      @org.springframework.beans.factory.annotation.Value(
              "${easel.gateway.events.stream-timeout:30m}")
          Duration streamTimeout) {
    this.feed = feed;
    this.writers = eventStreamWriters;
    this.heartbeats = eventStreamHeartbeats;
    // Room for a whole replay from the buffer, and then for falling this far behind.
    this.queueSize = queueSize + buffer;
    this.streamTimeout = streamTimeout;
  }

  @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(
      @RequestParam(required = false) List<String> type,
      @RequestParam(required = false) List<String> subject,
      @RequestParam(required = false) List<String> source,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
    SseEmitter emitter = new SseEmitter(streamTimeout.toMillis());
    Stream stream = new Stream(emitter, queueSize);
    try {
      emitter.send(SseEmitter.event().comment("easel events"));
    } catch (IOException e) {
      emitter.completeWithError(e);
      return emitter;
    }
    AutoCloseable subscription =
        feed.subscribe(
            stream,
            new EventFeed.Filter(type, subject, source),
            lastEventId,
            gone -> stream.gap(gone));
    var beat =
        heartbeats.scheduleWithFixedDelay(() -> stream.heartbeat(), 15, 15, TimeUnit.SECONDS);
    // One callback for every way a stream ends: it leaves the feed and its heartbeat stops.
    Runnable end =
        () -> {
          stream.closed.set(true);
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

  /** One client's stream: its queue, and a writer that runs only while there is work. */
  private final class Stream implements EventFeed.Subscriber {
    private final SseEmitter emitter;
    private final BlockingQueue<Object> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    Stream(SseEmitter emitter, int capacity) {
      this.emitter = emitter;
      this.queue = new LinkedBlockingQueue<>(capacity);
    }

    @Override
    public boolean offer(FeedEvent event) {
      if (closed.get()) {
        return true;
      }
      boolean taken = queue.offer(event);
      if (taken) {
        drainSoon();
      }
      return taken;
    }

    @Override
    public void overflowed() {
      closed.set(true);
      queue.clear();
      // Completing may block on a stuck client: never on the feed's thread.
      writers.execute(emitter::complete);
    }

    void gap(String lastEventId) {
      queue.offer(new Gap(lastEventId));
      drainSoon();
    }

    void heartbeat() {
      if (!closed.get() && queue.isEmpty()) {
        queue.offer(Heartbeat.INSTANCE);
        drainSoon();
      }
    }

    private void drainSoon() {
      if (scheduled.compareAndSet(false, true)) {
        writers.execute(this::drain);
      }
    }

    private void drain() {
      try {
        Object next;
        while (!closed.get() && (next = queue.poll()) != null) {
          if (next instanceof FeedEvent e) {
            emitter.send(
                SseEmitter.event()
                    .id(e.id())
                    .name(e.type())
                    .data(e.json(), MediaType.APPLICATION_JSON));
          } else if (next instanceof Gap g) {
            emitter.send(
                SseEmitter.event()
                    .name("easel.gap")
                    .data(
                        "{\"lastEventId\":\""
                            + g.lastEventId().replace("\"", "")
                            + "\",\"detail\":\"that event is no longer buffered; events since may be"
                            + " missing, so read the current state again\"}",
                        MediaType.APPLICATION_JSON));
          } else {
            emitter.send(SseEmitter.event().comment("keep-alive"));
          }
        }
      } catch (IOException | IllegalStateException e) {
        closed.set(true);
        emitter.completeWithError(e);
      } finally {
        scheduled.set(false);
        if (!closed.get() && !queue.isEmpty()) {
          drainSoon();
        }
      }
    }
  }

  private record Gap(String lastEventId) {}

  private enum Heartbeat {
    INSTANCE
  }
}
