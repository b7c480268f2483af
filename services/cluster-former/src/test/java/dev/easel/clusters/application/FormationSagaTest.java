package dev.easel.clusters.application;

import static dev.easel.clusters.application.Formations.ADMIN_CONF;
import static dev.easel.clusters.application.Formations.CLUSTER_ID;
import static dev.easel.clusters.application.Formations.CONTROL_PLANE;
import static dev.easel.clusters.application.Formations.INIT;
import static dev.easel.clusters.application.Formations.RESERVATION;
import static dev.easel.clusters.application.Formations.TOKEN;
import static dev.easel.clusters.application.Formations.VIP;
import static dev.easel.clusters.application.Formations.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.easel.clusters.domain.formation.Formation;
import dev.easel.clusters.domain.formation.NodePlans;
import dev.easel.common.crypto.PlanSecrets;
import dev.easel.common.saga.SagaCommand;
import dev.easel.common.saga.SagaDefinition;
import dev.easel.common.saga.SagaStatus;
import dev.easel.common.saga.testing.SagaScenario;
import dev.easel.contracts.nodes.JoinCluster;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanStep;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.ReserveNodes;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.contracts.saga.SagaStepFailed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The formation saga's definition, step by step, with no broker and no database. */
class FormationSagaTest {

  private static final FormationSaga.Timeouts TIMEOUTS = FormationSaga.Timeouts.defaults();
  private static final Formations.FakeKubeconfigBox BOX = new Formations.FakeKubeconfigBox();
  private static final Instant AT = Instant.parse("2026-01-01T00:10:00Z");
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  /** A plan step's own time plus what the queue, the broker and the agent's poll add. */
  private static final Duration SLACK = Duration.ofMinutes(2);

  private static final SagaDefinition<Formation> FORMATION =
      FormationSaga.definition(
          clusterId -> {
            assertThat(clusterId).isEqualTo(CLUSTER_ID);
            return Formations.request();
          },
          BOX,
          Formations.SEALING,
          TIMEOUTS);

  // ---- the happy path ------------------------------------------------------------------------

  @Test
  void formsTheClusterStepByStepAndKeepsAKubeconfigThatReachesTheVip() {
    SagaScenario<Formation> s =
        formation()
            .expectCommand(
                ReserveNodes.class,
                r ->
                    r.reservationId().equals(RESERVATION)
                        && r.nodeIds().equals(List.of(INIT, CONTROL_PLANE, WORKER)))
            .to(FormationSaga.NODES)
            .replySucceeded()
            .expectCommand(RunPlan.class, plan(INIT, "install", NodePlans.INSTALL))
            .to(FormationSaga.NODES)
            .reply(finished(INIT, "install", Map.of()))
            .expectCommand(RunPlan.class, plan(CONTROL_PLANE, "install", NodePlans.JOIN))
            .reply(finished(CONTROL_PLANE, "install", Map.of()))
            .expectCommand(RunPlan.class, plan(WORKER, "install", NodePlans.JOIN))
            .reply(finished(WORKER, "install", Map.of()))
            .expectCommand(RunPlan.class, plan(INIT, "layers", "layer-cni-calico"))
            .reply(finished(INIT, "layers", Map.of("layer-cni-calico", "deployed")))
            .expectCommand(RunPlan.class, plan(INIT, "health", "check-nodes"))
            .reply(finished(INIT, "health", Map.of("check-nodes", Formations.everyNodeReady())))
            .expectCommand(RunPlan.class, plan(INIT, "kubeconfig", "fetch-kubeconfig"))
            .reply(finished(INIT, "kubeconfig", Map.of("fetch-kubeconfig", ADMIN_CONF)))
            .expectCommand(
                JoinCluster.class,
                j ->
                    j.reservationId().equals(RESERVATION)
                        && j.clusterId().equals(CLUSTER_ID.toString())
                        && j.nodeIds().equals(List.of(INIT, CONTROL_PLANE, WORKER)))
            .to(FormationSaga.NODES)
            .replySucceeded()
            .expectNoMoreCommands()
            .expectStatus(SagaStatus.COMPLETED);

    Formation done = s.data();
    assertThat(done.failure()).isNull();
    assertThat(done.healthOutput()).isEqualTo(Formations.everyNodeReady());
    assertThat(done.sealedKubeconfig()).startsWith("sealed:" + CLUSTER_ID).doesNotContain("server");
    JsonNode kubeconfig = YAML.readTree(BOX.open(CLUSTER_ID, done.sealedKubeconfig()));
    assertThat(kubeconfig.at("/clusters/0/cluster/server").stringValue())
        .isEqualTo("https://" + VIP + ":6443");
    assertThat(kubeconfig.at("/users/0/user/client-key-data").stringValue())
        .isEqualTo("Y2xpZW50LWtleQ==");
  }

  @Test
  void eachPlanGoesToItsNodeKeyedByIt() {
    SagaScenario<Formation> s = kubeconfigKept();

    List<String> keys = s.sent().stream().map(SagaCommand::key).toList();
    assertThat(keys)
        .containsExactly(
            CLUSTER_ID.toString(),
            INIT.toString(),
            CONTROL_PLANE.toString(),
            WORKER.toString(),
            INIT.toString(),
            INIT.toString(),
            INIT.toString(),
            CLUSTER_ID.toString());
    assertThat(runPlans(s))
        .allSatisfy(
            p -> {
              assertThat(p.answersWhenFinished()).isTrue();
              assertThat(p.owner()).isEqualTo("cluster " + CLUSTER_ID);
            });
  }

  @Test
  void theInitNodeInstallsWithItsCloudConfigAsASecretFile() {
    RunPlan install = runPlans(kubeconfigKept()).get(0);

    assertThat(install.nodeId()).isEqualTo(INIT);
    assertThat(install.steps()).hasSize(1);
    PlanStep step = install.steps().get(0);
    assertThat(step.id()).isEqualTo("install");
    assertThat(step.timeoutSeconds()).isEqualTo((int) TIMEOUTS.install().toSeconds());
    assertThat(step.secretFiles()).containsOnlyKeys(NodePlans.CLOUD_CONFIG_PATH);
    assertThat(step.secretFiles().get(NodePlans.CLOUD_CONFIG_PATH)).startsWith("#cloud-config");
    JsonNode cloudConfig = cloudConfig(step);
    assertThat(cloudConfig.at("/cluster/cluster_token").stringValue()).isEqualTo(TOKEN);
    assertThat(cloudConfig.at("/cluster/role").stringValue()).isEqualTo("init");
    assertThat(cloudConfig.at("/cluster/control_plane_host").stringValue()).isEqualTo(VIP);
    assertThat(cloudConfig.at("/hostname").stringValue()).isEqualTo(Formations.INIT_HOST);
  }

  @Test
  void theOtherNodesJoinWithTheirOwnRole() {
    List<RunPlan> plans = runPlans(kubeconfigKept());

    PlanStep controlPlane = plans.get(1).steps().get(0);
    PlanStep worker = plans.get(2).steps().get(0);
    assertThat(controlPlane.id()).isEqualTo("join");
    assertThat(cloudConfig(controlPlane).at("/cluster/role").stringValue())
        .isEqualTo("controlplane");
    assertThat(cloudConfig(controlPlane).at("/cluster/cluster_token").stringValue())
        .isEqualTo(TOKEN);
    assertThat(cloudConfig(controlPlane).at("/hostname").stringValue())
        .isEqualTo(Formations.CONTROL_PLANE_HOST);
    assertThat(worker.id()).isEqualTo("join");
    assertThat(cloudConfig(worker).at("/cluster/role").stringValue()).isEqualTo("worker");
    assertThat(cloudConfig(worker).at("/cluster/cluster_token").stringValue()).isEqualTo(TOKEN);
    assertThat(cloudConfig(worker).at("/hostname").stringValue()).isEqualTo(Formations.WORKER_HOST);
  }

  @Test
  void theClusterTokenTravelsOnlyInsideSecretFiles() {
    SagaScenario<Formation> s = kubeconfigKept();

    List<RunPlan> plans = runPlans(s);
    assertThat(plans).hasSize(6);
    for (RunPlan plan : plans) {
      assertThat(plan.toString()).doesNotContain(TOKEN);
      for (PlanStep step : plan.steps()) {
        assertThat(step.toString()).doesNotContain(TOKEN);
        assertThat(step.command()).doesNotContain(TOKEN);
        assertThat(step.name()).doesNotContain(TOKEN);
        assertThat(step.args().toString()).doesNotContain(TOKEN);
      }
    }
    assertThat(plans.get(0).steps().get(0).secretFiles().values())
        .anySatisfy(content -> assertThat(content).contains(TOKEN));
    assertThat(s.saga().data()).doesNotContain(TOKEN);
  }

  @Test
  void everySecretFileLeavesSealedToNodeDiscoverysPlanKeyForItsOwnPlan() {
    List<RunPlan> sent = sentPlans(kubeconfigKept());

    List<String> values =
        sent.stream()
            .flatMap(p -> p.steps().stream())
            .flatMap(step -> step.secretFiles().values().stream())
            .toList();

    assertThat(values)
        .isNotEmpty()
        .allSatisfy(
            value ->
                assertThat(value)
                    .startsWith(PlanSecrets.PREFIX)
                    .doesNotContain(TOKEN)
                    .doesNotContain("cloud-config"));
    assertThat(Formations.opened(sent.get(0)).steps().get(0).secretFiles().values())
        .anySatisfy(content -> assertThat(content).contains(TOKEN));
  }

  @Test
  void theStoredDataHoldsTheKubeconfigOnlySealed() {
    SagaScenario<Formation> s = kubeconfigKept();

    assertThat(s.saga().data()).doesNotContain("client-key-data").doesNotContain("Y2xpZW50LWtleQ");
  }

  // ---- refusals -------------------------------------------------------------------------------

  @Test
  void nodesThatCannotBeReservedEndTheFormationWithNothingToUndo() {
    // node-discovery names each refused node in the details: <id>: <code>: <reason>.
    String refusal = WORKER + ": node-busy: the node is reserved by reservation cluster-x of ops";
    formation()
        .expectCommand(ReserveNodes.class)
        .replyRefused("nodes-unavailable", List.of(refusal), false)
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectFailureReasonContaining("reserve-nodes")
        .expectData(
            f -> {
              assertThat(f.failure().step()).isEqualTo(FormationSaga.RESERVE);
              assertThat(f.failure().reason()).startsWith("nodes-unavailable: ");
              assertThat(f.failure().output()).contains(WORKER.toString()).contains("node-busy");
            });
  }

  @Test
  void aFailedInstallOnTheInitNodeResetsItBeforeReleasing() {
    reserved()
        .expectCommand(RunPlan.class, plan(INIT, "install", NodePlans.INSTALL))
        .replyRefused(
            "plan-failed",
            List.of("node: " + INIT, "step: install", "kubeadm init: [ERROR Port-6443]: in use"),
            false)
        .expectEvent(
            SagaStepFailed.class,
            e -> e.stepName().equals(FormationSaga.INSTALL_INIT) && !e.timedOut())
        .expectData(
            f -> {
              assertThat(f.failure().step()).isEqualTo(FormationSaga.INSTALL_INIT);
              assertThat(f.failure().node()).isEqualTo(INIT);
              assertThat(f.failure().reason()).startsWith("plan-failed: ");
              assertThat(f.failure().output())
                  .isEqualTo("step: install\nkubeadm init: [ERROR Port-6443]: in use");
            })
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class, FormationSagaTest::releasesEveryNode)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectFailureReasonContaining("install-init");
  }

  @Test
  void aFailedControlPlaneJoinResetsTheJoiningNodeAndTheInitNodeBeforeReleasing() {
    initInstalled()
        .expectCommand(RunPlan.class, plan(CONTROL_PLANE, "install", NodePlans.JOIN))
        .replyRefused(
            "plan-failed",
            List.of("node: " + CONTROL_PLANE, "step: join", "etcd: member add timed out"),
            false)
        .expectData(
            f -> {
              assertThat(f.failure().step()).isEqualTo(FormationSaga.JOIN_CONTROL_PLANES);
              assertThat(f.failure().node()).isEqualTo(CONTROL_PLANE);
              assertThat(f.failure().output()).contains("etcd: member add timed out");
            })
        .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .reply(finished(CONTROL_PLANE, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class, FormationSagaTest::releasesEveryNode)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED);
  }

  @Test
  void aFailedWorkerJoinResetsWorkersThenControlPlanesThenTheInitNodeBeforeReleasing() {
    controlPlanesJoined()
        .expectCommand(RunPlan.class, plan(WORKER, "install", NodePlans.JOIN))
        .replyRefused(
            "plan-failed",
            List.of("node: " + WORKER, "step: join", "kubelet: no route to 10.10.0.100"),
            false)
        .expectData(
            f -> {
              assertThat(f.failure().step()).isEqualTo(FormationSaga.JOIN_WORKERS);
              assertThat(f.failure().node()).isEqualTo(WORKER);
            })
        .expectCommand(RunPlan.class, reset(WORKER))
        .reply(finished(WORKER, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .reply(finished(CONTROL_PLANE, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class, FormationSagaTest::releasesEveryNode)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED);
  }

  @Test
  void aCancelledJoinIsUndoneLikeAFailedOne() {
    controlPlanesJoined()
        .expectCommand(RunPlan.class, plan(WORKER, "install", NodePlans.JOIN))
        .replyRefused("plan-cancelled", List.of(), false)
        .expectData(
            f -> {
              assertThat(f.failure().step()).isEqualTo(FormationSaga.JOIN_WORKERS);
              assertThat(f.failure().reason()).startsWith("plan-cancelled: ");
            })
        .expectCommand(RunPlan.class, reset(WORKER))
        .reply(finished(WORKER, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .reply(finished(CONTROL_PLANE, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class)
        .replySucceeded()
        .expectStatus(SagaStatus.COMPENSATED);
  }

  @Test
  void aFailedLayerResetsEveryNodeBeforeReleasing() {
    workersJoined()
        .expectCommand(RunPlan.class, plan(INIT, "layers", "layer-cni-calico"))
        .replyRefused(
            "plan-failed",
            List.of("node: " + INIT, "step: layer-cni-calico", "Error: context deadline exceeded"),
            false)
        .expectData(
            f -> {
              assertThat(f.failure().step()).isEqualTo(FormationSaga.APPLY_LAYERS);
              assertThat(f.failure().node()).isEqualTo(INIT);
              assertThat(f.failure().output())
                  .isEqualTo("step: layer-cni-calico\nError: context deadline exceeded");
            })
        .expectCommand(RunPlan.class, reset(WORKER))
        .reply(finished(WORKER, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .reply(finished(CONTROL_PLANE, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class, FormationSagaTest::releasesEveryNode)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectFailureReasonContaining("apply-layers");
  }

  @Test
  void aFailedHealthCheckResetsEveryNodeBeforeReleasing() {
    undoesEverything(
        layersApplied()
            .expectCommand(RunPlan.class, plan(INIT, "health", "check-nodes"))
            .replyRefused(
                "plan-failed",
                List.of("node: " + INIT, "step: check-nodes", "error: timed out waiting"),
                false)
            .expectData(f -> assertThat(f.failure().step()).isEqualTo(FormationSaga.CHECK_HEALTH)));
  }

  @Test
  void aNodeThatIsNotReadyFailsTheVerificationAndEveryNodeIsReset() {
    undoesEverything(
        layersApplied()
            .expectCommand(RunPlan.class, plan(INIT, "health", "check-nodes"))
            .reply(
                finished(
                    INIT,
                    "health",
                    Map.of("check-nodes", Formations.nodeList("True", "True", "False"))))
            .expectEvent(
                SagaStepFailed.class,
                e ->
                    e.stepName().equals(FormationSaga.VERIFY_HEALTH)
                        && e.reason().contains("not ready [" + Formations.WORKER_HOST + "]"))
            .expectFailureReasonContaining("verify-health"));
  }

  @Test
  void aNodeMissingFromTheListFailsTheVerification() {
    String twoNodes =
        "{\"items\":[{\"metadata\":{\"name\":\"edge-cp-1\"},\"status\":{\"conditions\":"
            + "[{\"type\":\"Ready\",\"status\":\"True\"}]}},{\"metadata\":{\"name\":\"edge-cp-2\"},"
            + "\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}]}";
    undoesEverything(
        layersApplied()
            .expectCommand(RunPlan.class)
            .reply(finished(INIT, "health", Map.of("check-nodes", twoNodes)))
            .expectFailureReasonContaining("missing [" + Formations.WORKER_HOST + "]"));
  }

  @Test
  void anUnreadableNodeListFailsTheVerification() {
    undoesEverything(
        layersApplied()
            .expectCommand(RunPlan.class)
            .reply(finished(INIT, "health", Map.of()))
            .expectFailureReasonContaining("the node list cannot be read"));
  }

  @Test
  void aFailedKubeconfigFetchResetsEveryNodeBeforeReleasing() {
    undoesEverything(
        healthVerified()
            .expectCommand(RunPlan.class, plan(INIT, "kubeconfig", "fetch-kubeconfig"))
            .replyRefused(
                "plan-failed",
                List.of("node: " + INIT, "step: fetch-kubeconfig", "cat: no such file"),
                false)
            .expectData(
                f -> {
                  assertThat(f.failure().step()).isEqualTo(FormationSaga.FETCH_KUBECONFIG);
                  assertThat(f.failure().node()).isEqualTo(INIT);
                }));
  }

  @Test
  void aKubeconfigThatIsNotOneFailsKeepingItAndEveryNodeIsReset() {
    undoesEverything(
        healthVerified()
            .expectCommand(RunPlan.class)
            .reply(finished(INIT, "kubeconfig", Map.of("fetch-kubeconfig", "kind: Config\n")))
            .expectEvent(
                SagaStepFailed.class, e -> e.stepName().equals(FormationSaga.KEEP_KUBECONFIG))
            .expectFailureReasonContaining("not a usable kubeconfig"));
  }

  @Test
  void anEmptyKubeconfigFailsKeepingIt() {
    undoesEverything(
        healthVerified()
            .expectCommand(RunPlan.class)
            .reply(finished(INIT, "kubeconfig", Map.of()))
            .expectFailureReasonContaining("keep-kubeconfig"));
  }

  @Test
  void membersThatCannotBeMarkedResetEveryNodeBeforeReleasing() {
    undoesEverything(
        kubeconfigKept()
            .expectCommand(JoinCluster.class)
            .replyRefused("nodes-not-reserved", List.of(WORKER + ": not-reserved: no"), false)
            .expectFailureReasonContaining("mark-members"));
  }

  @Test
  void aRetryableRefusalIsSentAgainWithTheSamePlan() {
    SagaScenario<Formation> s =
        reserved()
            .expectCommand(RunPlan.class, plan(INIT, "install", NodePlans.INSTALL))
            .replyRefused("node-unreachable", List.of(), true)
            .expectStatus(SagaStatus.RUNNING)
            .deadlinePasses()
            .expectCommand(RunPlan.class, plan(INIT, "install", NodePlans.INSTALL));
    assertThat(s.saga().attempts()).isEqualTo(2);
    s.reply(finished(INIT, "install", Map.of()))
        .expectCommand(RunPlan.class, plan(CONTROL_PLANE, "install", NodePlans.JOIN))
        .expectStatus(SagaStatus.RUNNING);
  }

  // ---- timeouts -------------------------------------------------------------------------------

  @Test
  void aReservationThatIsNeverAnsweredIsTriedThreeTimesThenReleased() {
    SagaScenario<Formation> s = formation();
    timesOut(s, ReserveNodes.class, 3, TIMEOUTS.reserve());
    s.expectEvent(
            SagaStepFailed.class, e -> e.stepName().equals(FormationSaga.RESERVE) && e.timedOut())
        // The reservation may have been made: a timeout cannot tell.
        .expectCommand(ReleaseNodes.class, FormationSagaTest::releasesEveryNode)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED)
        .expectFailureReasonContaining("timed out");
  }

  @Test
  void anInstallThatIsNeverAnsweredIsTriedTwiceThenTheInitNodeIsReset() {
    SagaScenario<Formation> s = reserved();
    timesOut(s, RunPlan.class, 2, TIMEOUTS.install().plus(SLACK));
    s.expectEvent(
            SagaStepFailed.class,
            e -> e.stepName().equals(FormationSaga.INSTALL_INIT) && e.timedOut())
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class, FormationSagaTest::releasesEveryNode)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED);
  }

  @Test
  void aControlPlaneJoinThatIsNeverAnsweredIsTriedTwiceThenUndone() {
    SagaScenario<Formation> s = initInstalled();
    timesOut(s, RunPlan.class, 2, TIMEOUTS.install().plus(SLACK));
    s.expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .reply(finished(CONTROL_PLANE, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class, FormationSagaTest::releasesEveryNode)
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED);
  }

  @Test
  void aWorkerJoinThatIsNeverAnsweredIsTriedTwiceThenEveryNodeIsReset() {
    SagaScenario<Formation> s = controlPlanesJoined();
    timesOut(s, RunPlan.class, 2, TIMEOUTS.install().plus(SLACK));
    undoesEverything(s);
  }

  @Test
  void layersThatAreNeverAnsweredAreTriedThreeTimesThenEveryNodeIsReset() {
    SagaScenario<Formation> s = workersJoined();
    timesOut(s, RunPlan.class, 3, TIMEOUTS.layers().multipliedBy(4).plus(SLACK));
    undoesEverything(s);
  }

  @Test
  void aHealthCheckThatIsNeverAnsweredIsTriedThreeTimesThenEveryNodeIsReset() {
    SagaScenario<Formation> s = layersApplied();
    timesOut(s, RunPlan.class, 3, TIMEOUTS.health().multipliedBy(3).plus(SLACK));
    undoesEverything(s);
  }

  @Test
  void aKubeconfigFetchThatIsNeverAnsweredIsTriedThreeTimesThenEveryNodeIsReset() {
    SagaScenario<Formation> s = healthVerified();
    timesOut(s, RunPlan.class, 3, Duration.ofMinutes(3).plus(SLACK));
    undoesEverything(s);
  }

  @Test
  void markingMembersThatIsNeverAnsweredIsTriedFiveTimesThenEveryNodeIsReset() {
    SagaScenario<Formation> s = kubeconfigKept();
    timesOut(s, JoinCluster.class, 5, TIMEOUTS.reserve());
    undoesEverything(s);
  }

  @Test
  void aJoinThatTimedOutOnceIsSentAgainAsTheSamePlanAndItsAnswerCounts() {
    SagaScenario<Formation> s =
        initInstalled()
            .expectCommand(RunPlan.class, plan(CONTROL_PLANE, "install", NodePlans.JOIN))
            .deadlinePasses()
            .expectCommand(RunPlan.class, plan(CONTROL_PLANE, "install", NodePlans.JOIN));
    // The same plan, sealed afresh: the same as node-discovery opens it.
    assertThat(opened(s.sent().get(s.sent().size() - 1).command()))
        .isEqualTo(opened(s.sent().get(s.sent().size() - 2).command()));
    assertThat(s.saga().attempts()).isEqualTo(2);
    s.reply(finished(CONTROL_PLANE, "install", Map.of()))
        .expectCommand(RunPlan.class, plan(WORKER, "install", NodePlans.JOIN))
        .expectStatus(SagaStatus.RUNNING);
  }

  // ---- compensations that fail ----------------------------------------------------------------

  @Test
  void aResetThatIsRefusedLeavesTheFormationFailedForAnOperator() {
    SagaScenario<Formation> s = reserved();
    timesOut(s, RunPlan.class, 2, TIMEOUTS.install().plus(SLACK));
    s.expectCommand(RunPlan.class, reset(INIT))
        .replyRefused("plan-failed", List.of("node: " + INIT, "step: reset-kairos"), false)
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.FAILED)
        .expectFailureReasonContaining("compensation of step 'install-init' failed")
        .expectFailureReasonContaining("timed out");
  }

  @Test
  void aResetOfOneOfSeveralNodesThatIsRefusedFailsTheFormation() {
    SagaScenario<Formation> s = workersJoined();
    timesOut(s, RunPlan.class, 3, TIMEOUTS.layers().multipliedBy(4).plus(SLACK));
    s.expectCommand(RunPlan.class, reset(WORKER))
        .reply(finished(WORKER, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .replyRefused("plan-failed", List.of("node: " + CONTROL_PLANE), false)
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.FAILED)
        .expectFailureReasonContaining("compensation of step 'join-control-planes' failed");
  }

  @Test
  void aResetThatIsNeverAnsweredIsTriedAgainThenTheFormationFails() {
    SagaScenario<Formation> s = reserved();
    timesOut(s, RunPlan.class, 2, TIMEOUTS.install().plus(SLACK));
    s.expectCommand(RunPlan.class, reset(INIT));
    Object first = lastSent(s);
    s.deadlinePasses().expectCommand(RunPlan.class, p -> p.equals(first));
    s.deadlinePasses()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.FAILED)
        .expectFailureReasonContaining("compensation of step 'install-init' failed after 2");
  }

  @Test
  void aReleaseThatIsRefusedLeavesTheFormationFailed() {
    formation()
        .expectCommand(ReserveNodes.class)
        .replySucceeded()
        .expectCommand(RunPlan.class)
        .deadlinePasses()
        .expectCommand(RunPlan.class)
        .deadlinePasses()
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(ReleaseNodes.class)
        .replyRefused("invalid-reservation", List.of(), false)
        .expectStatus(SagaStatus.FAILED)
        .expectFailureReasonContaining("compensation of step 'reserve-nodes' failed");
  }

  // ---- the plans themselves ------------------------------------------------------------------

  @Test
  void aResetUndoesKubeadmThenKairosForTheResetTimeout() {
    SagaScenario<Formation> s = reserved();
    timesOut(s, RunPlan.class, 2, TIMEOUTS.install().plus(SLACK));
    s.expectCommand(RunPlan.class, reset(INIT));
    RunPlan reset = (RunPlan) lastSent(s);

    assertThat(reset.planId()).isEqualTo(FormationSaga.planId(CLUSTER_ID, "reset", INIT));
    assertThat(reset.steps())
        .allSatisfy(
            step -> {
              assertThat(step.timeoutSeconds()).isEqualTo((int) TIMEOUTS.reset().toSeconds());
              assertThat(step.secretFiles()).isEmpty();
            });
  }

  @Test
  void aPlanIdNamesTheClusterTheKindAndTheNode() {
    assertThat(FormationSaga.planId(CLUSTER_ID, "install", INIT))
        .isEqualTo("cluster-" + CLUSTER_ID + "-install-" + INIT);
  }

  @Test
  void theStepsWeightsAddUpToAHundred() {
    assertThat(FormationSaga.WEIGHTS.values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(100);
    assertThat(FORMATION.steps().stream().map(step -> step.name()).toList())
        .containsExactlyInAnyOrderElementsOf(FormationSaga.WEIGHTS.keySet());
    assertThat(FormationSaga.percentBefore(FORMATION, 0)).isZero();
    assertThat(FormationSaga.percentBefore(FORMATION, 1)).isEqualTo(2);
    assertThat(FormationSaga.percentBefore(FORMATION, FORMATION.steps().size())).isEqualTo(100);
  }

  // ---- stages ---------------------------------------------------------------------------------

  private static SagaScenario<Formation> formation() {
    return SagaScenario.given(FORMATION, Formations.data());
  }

  /** The nodes are reserved; the init node's install is sent. */
  private static SagaScenario<Formation> reserved() {
    return formation().expectCommand(ReserveNodes.class).replySucceeded();
  }

  /** The init node is installed; the control plane's join is sent. */
  private static SagaScenario<Formation> initInstalled() {
    return reserved()
        .expectCommand(RunPlan.class, plan(INIT, "install", NodePlans.INSTALL))
        .reply(finished(INIT, "install", Map.of()));
  }

  /** The control plane joined; the worker's join is sent. */
  private static SagaScenario<Formation> controlPlanesJoined() {
    return initInstalled()
        .expectCommand(RunPlan.class, plan(CONTROL_PLANE, "install", NodePlans.JOIN))
        .reply(finished(CONTROL_PLANE, "install", Map.of()));
  }

  /** The worker joined; the layers are sent. */
  private static SagaScenario<Formation> workersJoined() {
    return controlPlanesJoined()
        .expectCommand(RunPlan.class, plan(WORKER, "install", NodePlans.JOIN))
        .reply(finished(WORKER, "install", Map.of()));
  }

  /** The layers are applied; the health check is sent. */
  private static SagaScenario<Formation> layersApplied() {
    return workersJoined()
        .expectCommand(RunPlan.class, plan(INIT, "layers", "layer-cni-calico"))
        .reply(finished(INIT, "layers", Map.of()));
  }

  /** Every node is Ready; the kubeconfig fetch is sent. */
  private static SagaScenario<Formation> healthVerified() {
    return layersApplied()
        .expectCommand(RunPlan.class, plan(INIT, "health", "check-nodes"))
        .reply(finished(INIT, "health", Map.of("check-nodes", Formations.everyNodeReady())));
  }

  /** The kubeconfig is kept; the nodes' membership is sent. */
  private static SagaScenario<Formation> kubeconfigKept() {
    return healthVerified()
        .expectCommand(RunPlan.class, plan(INIT, "kubeconfig", "fetch-kubeconfig"))
        .reply(finished(INIT, "kubeconfig", Map.of("fetch-kubeconfig", ADMIN_CONF)));
  }

  // ---- expectations ---------------------------------------------------------------------------

  /**
   * The step's command goes unanswered {@code attempts} times: each try is the same command, with
   * the step's timeout, and the last one fails the step.
   */
  private static <T> void timesOut(
      SagaScenario<Formation> s, Class<T> type, int attempts, Duration timeout) {
    List<Object> tries = new ArrayList<>();
    for (int i = 1; i <= attempts; i++) {
      s.expectCommand(type);
      tries.add(opened(lastSent(s)));
      assertThat(s.saga().attempts()).isEqualTo(i);
      assertThat(Duration.between(s.saga().updatedAt(), s.saga().deadline())).isEqualTo(timeout);
      s.deadlinePasses();
    }
    // A resent plan is the same plan, its secret files sealed afresh: node-discovery answers it as
    // before rather than running it twice.
    assertThat(tries).containsOnly(tries.get(0));
    s.expectEvent(SagaStepFailed.class, SagaStepFailed::timedOut);
  }

  /** Workers, then control planes, then the init node are reset; then the nodes are released. */
  private static void undoesEverything(SagaScenario<Formation> s) {
    s.expectCommand(RunPlan.class, reset(WORKER))
        .to(FormationSaga.NODES)
        .reply(finished(WORKER, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(CONTROL_PLANE))
        .reply(finished(CONTROL_PLANE, "reset", Map.of()))
        .expectCommand(RunPlan.class, reset(INIT))
        .reply(finished(INIT, "reset", Map.of()))
        .expectCommand(
            ReleaseNodes.class,
            r ->
                r.reservationId().equals(RESERVATION)
                    && r.nodeIds().equals(List.of(INIT, CONTROL_PLANE, WORKER)))
        .replySucceeded()
        .expectNoMoreCommands()
        .expectStatus(SagaStatus.COMPENSATED);
  }

  private static boolean releasesEveryNode(ReleaseNodes r) {
    return r.reservationId().equals(RESERVATION)
        && r.nodeIds().equals(List.of(INIT, CONTROL_PLANE, WORKER));
  }

  /** A plan of this kind on this node whose steps are the given ones. */
  private static Predicate<RunPlan> plan(UUID node, String kind, String... stepIds) {
    return p ->
        p.nodeId().equals(node)
            && p.planId().equals(FormationSaga.planId(CLUSTER_ID, kind, node))
            && p.steps().stream().map(PlanStep::id).toList().equals(List.of(stepIds));
  }

  private static Predicate<RunPlan> reset(UUID node) {
    return plan(node, "reset", NodePlans.RESET_KUBEADM, NodePlans.RESET_KAIROS);
  }

  private static PlanFinished finished(UUID node, String kind, Map<String, String> outputs) {
    return new PlanFinished(FormationSaga.planId(CLUSTER_ID, kind, node), node, outputs, AT);
  }

  /** The cloud-config an install or join step writes, read as YAML. */
  private static JsonNode cloudConfig(PlanStep step) {
    return YAML.readTree(step.secretFiles().get(NodePlans.CLOUD_CONFIG_PATH));
  }

  /** A command as its participant reads it: a plan with its secret files opened. */
  private static Object opened(Object command) {
    return command instanceof RunPlan plan ? Formations.opened(plan) : command;
  }

  /** The command the saga sent last. */
  private static Object lastSent(SagaScenario<Formation> s) {
    return s.sent().get(s.sent().size() - 1).command();
  }

  /** The plans the saga sent, as node-discovery opens them. */
  private static List<RunPlan> runPlans(SagaScenario<Formation> s) {
    return sentPlans(s).stream().map(Formations::opened).toList();
  }

  /** The plans the saga sent, as they cross Kafka. */
  private static List<RunPlan> sentPlans(SagaScenario<Formation> s) {
    return s.sent().stream()
        .map(SagaCommand::command)
        .filter(RunPlan.class::isInstance)
        .map(RunPlan.class::cast)
        .toList();
  }
}
