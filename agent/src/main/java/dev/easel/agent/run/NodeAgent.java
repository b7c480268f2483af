package dev.easel.agent.run;

import dev.easel.agent.Daemons;
import dev.easel.agent.Log;
import dev.easel.agent.inventory.Inventory;
import dev.easel.agent.server.ApiException;
import dev.easel.agent.server.ArtifactFile;
import dev.easel.agent.server.ServerApi;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent on a real node: registers once, then heartbeats, long-polls for plans, runs their steps
 * one at a time and reports each result.
 *
 * <p>A step that succeeded uploads the files it declared as artifacts before its success is
 * reported ({@link ArtifactUploads}).
 *
 * <p>A step's result is written to the state directory before it is reported. After a restart, or
 * when a report was lost, the agent finds the result there and reports it again instead of running
 * the step a second time. A step killed by a crash before it finished has no result and runs again.
 */
public final class NodeAgent implements AutoCloseable {

  /** Identity file; it holds the credential, so it is 0600 like everything in the state dir. */
  static final String NODE_FILE = "node.json";

  /** How much output one result carries; well inside the server's limit even when escaped. */
  static final int OUTPUT_LIMIT = 8 * 1024;

  static final int POLL_SECONDS = 30;

  /** What the agent remembers about itself. */
  public record Identity(String server, UUID nodeId, String credential, int heartbeatSeconds) {}

  private final ServerApi api;
  private final String token;
  private final StateDir state;
  private final StepJournal journal;
  private final Supplier<Inventory> inventory;
  private final StepRunner runner;
  private final ArtifactUploads uploads;
  private final ScheduledExecutorService heartbeats;
  private final ExecutorService steps;
  private volatile Identity identity;
  private volatile boolean stopped;
  private volatile Thread loop;
  private volatile boolean serverDown;

  public NodeAgent(ServerApi api, String token, StateDir state, Supplier<Inventory> inventory) {
    this.api = api;
    this.token = token;
    this.state = state;
    this.journal = new StepJournal(state);
    this.inventory = inventory;
    this.runner =
        new StepRunner(
            new ShellExecutor(OUTPUT_LIMIT),
            inventory,
            inv -> ServerApi.await(api.inventory(identity.nodeId(), identity.credential(), inv)));
    this.uploads =
        new ArtifactUploads(
            new ArtifactUploads.Server() {
              @Override
              public Optional<ServerApi.StoredArtifact> stored(
                  String plan, String step, String name) throws Exception {
                return ServerApi.await(
                    api.storedArtifact(identity.nodeId(), identity.credential(), plan, step, name));
              }

              @Override
              public ServerApi.StoredArtifact upload(
                  String plan, String step, String name, ArtifactFile file) throws Exception {
                return ServerApi.await(
                    api.uploadArtifact(
                        identity.nodeId(), identity.credential(), plan, step, name, file));
              }
            });
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(Daemons.named("easel-agent-heartbeat"));
    this.steps = Executors.newSingleThreadExecutor(Daemons.named("easel-agent-step"));
  }

  /**
   * Registers, or comes back as the node it was; answers once the node is known to the server.
   *
   * @throws ApiException when the server refuses the token, which retrying cannot fix
   */
  public Identity start() throws InterruptedException {
    Optional<Identity> known =
        state.read(NODE_FILE, Identity.class).filter(i -> i.server().equals(api.server()));
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    while (!stopped) {
      try {
        if (known.isPresent()) {
          identity = known.get();
          Log.info("resuming as node " + identity.nodeId());
          ServerApi.await(api.inventory(identity.nodeId(), identity.credential(), inventory.get()));
        } else {
          register();
        }
        break;
      } catch (ApiException e) {
        if (known.isPresent() && (e.status() == 401 || e.status() == 403)) {
          Log.warn("the server no longer accepts this node's credential; registering again");
          known = Optional.empty();
          continue;
        }
        throw e;
      } catch (Exception e) {
        Duration wait = backoff.next();
        Log.warn(
            "cannot reach "
                + api.server()
                + " ("
                + e
                + "); retrying in "
                + wait.toMillis()
                + " ms");
        Thread.sleep(wait.toMillis());
      }
    }
    int every = Math.max(1, identity.heartbeatSeconds());
    heartbeats.scheduleAtFixedRate(this::heartbeat, 0, every, TimeUnit.SECONDS);
    return identity;
  }

  /** Long-polls for plans and runs them until {@link #close()}. */
  public void runPlans() {
    loop = Thread.currentThread();
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    Long since = null;
    while (!stopped) {
      try {
        ServerApi.Feed feed =
            ServerApi.await(
                api.plans(identity.nodeId(), identity.credential(), since, POLL_SECONDS));
        upAgain();
        backoff.reset();
        Optional<Work> work = next(feed);
        if (work.isEmpty()) {
          journal.keepOnly(
              feed.plans().stream()
                  .map(ServerApi.Plan::planId)
                  .collect(java.util.stream.Collectors.toSet()));
          since = feed.revision();
          continue;
        }
        execute(work.get(), feed.revision());
        since = null; // look again at once: the next step, or the next plan
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ApiException e) {
        if (!handleRefusal(e)) {
          sleepQuietly(backoff.next());
        }
      } catch (Exception e) {
        if (stopped) {
          return;
        }
        down(e);
        sleepQuietly(backoff.next());
      }
    }
  }

  private record Work(ServerApi.Plan plan, ServerApi.Step step) {}

  private static Optional<Work> next(ServerApi.Feed feed) {
    for (ServerApi.Plan plan : feed.plans()) {
      for (ServerApi.Step step : plan.steps()) {
        if ("PENDING".equals(step.state())) {
          return Optional.of(new Work(plan, step));
        }
      }
    }
    return Optional.empty();
  }

  private void execute(Work work, long revision) throws Exception {
    Optional<ServerApi.StepResult> done =
        journal.find(work.plan().planId(), work.step().id(), work.step().attempt());
    ServerApi.StepResult result;
    if (done.isPresent()) {
      Log.info(
          "step "
              + work.step().id()
              + " of plan "
              + work.plan().planId()
              + " finished before; reporting it again, not running it");
      result = done.get();
    } else {
      Log.info(
          "running step "
              + work.step().id()
              + " (attempt "
              + work.step().attempt()
              + ") of plan "
              + work.plan().planId());
      ShellExecutor.Outcome outcome = runWatchingForCancel(work, revision);
      if (outcome == null) {
        return; // cancelled: the server no longer wants a result
      }
      result =
          new ServerApi.StepResult(
              work.step().attempt(),
              outcome.succeeded() ? "SUCCEEDED" : "FAILED",
              outcome.exitCode(),
              outcome.failure() != null
                  ? outcome.failure()
                  : outcome.succeeded() ? null : "exit code " + outcome.exitCode(),
              outcome.output(),
              outcome.durationMs());
      journal.record(work.plan().planId(), work.step().id(), result);
    }
    // After the journal: a result whose uploads could not be made now is not run again, only
    // uploaded again, from the files the step left.
    ServerApi.StepResult uploaded = uploads.afterStep(work.plan().planId(), work.step(), result);
    if (uploaded != result) {
      journal.record(work.plan().planId(), work.step().id(), uploaded);
      result = uploaded;
    }
    ServerApi.await(
        api.report(
            identity.nodeId(),
            identity.credential(),
            work.plan().planId(),
            work.step().id(),
            result));
    Log.info(
        "reported step "
            + work.step().id()
            + " of plan "
            + work.plan().planId()
            + ": "
            + result.outcome());
  }

  /**
   * Runs the step while long-polling; a plan that leaves the feed was cancelled, so it is killed.
   */
  private ShellExecutor.Outcome runWatchingForCancel(Work work, long revision) throws Exception {
    Future<ShellExecutor.Outcome> running = steps.submit(() -> runner.run(work.step()));
    long since = revision;
    while (true) {
      try {
        return running.get(200, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // still running
      }
      ServerApi.Feed feed;
      try {
        feed = ServerApi.await(api.plans(identity.nodeId(), identity.credential(), since, 5));
      } catch (IOException | ApiException e) {
        continue; // keep running the step; the report will find the server again
      }
      since = feed.revision();
      boolean stillWanted =
          feed.plans().stream().anyMatch(p -> p.planId().equals(work.plan().planId()));
      if (!stillWanted) {
        Log.info(
            "plan " + work.plan().planId() + " was cancelled; stopping step " + work.step().id());
        running.cancel(true);
        return null;
      }
    }
  }

  /**
   * @return true when the refusal is handled and the loop may go on at once
   */
  private boolean handleRefusal(ApiException e) {
    if (e.status() == 401) {
      Log.warn("the credential was refused; registering again");
      try {
        register();
        return true;
      } catch (Exception again) {
        Log.warn("registering again failed: " + again.getMessage());
        return false;
      }
    }
    if (e.status() == 409 || e.status() == 404) {
      Log.info("the server says " + e.getMessage() + "; moving on");
      return true;
    }
    Log.warn("the server refused a call: " + e.getMessage());
    return false;
  }

  private void register() throws Exception {
    ServerApi.Registered r = ServerApi.await(api.register(token, inventory.get()));
    identity =
        new Identity(api.server(), r.nodeId(), r.nodeCredential(), r.heartbeatIntervalSeconds());
    state.write(NODE_FILE, identity);
    Log.info(
        "registered as node "
            + r.nodeId()
            + "; heartbeat every "
            + r.heartbeatIntervalSeconds()
            + " s");
  }

  private void heartbeat() {
    Identity me = identity;
    try {
      ServerApi.await(api.heartbeat(me.nodeId(), me.credential()));
      upAgain();
    } catch (ApiException e) {
      Log.warn("heartbeat refused: " + e.getMessage());
    } catch (Exception e) {
      down(e);
    }
  }

  private void down(Exception e) {
    if (!serverDown) {
      serverDown = true;
      Log.warn("lost the server (" + e + "); retrying with backoff");
    }
  }

  private void upAgain() {
    if (serverDown) {
      serverDown = false;
      Log.info("the server is back");
    }
  }

  private void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
    }
  }

  @Override
  public void close() {
    stopped = true;
    heartbeats.shutdownNow();
    steps.shutdownNow();
    Thread t = loop;
    if (t != null) {
      t.interrupt();
    }
  }
}
