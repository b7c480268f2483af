package dev.easel.contracts;

import dev.easel.contracts.audit.AuditCheckpointed;
import dev.easel.contracts.clusters.ClusterDegraded;
import dev.easel.contracts.clusters.ClusterDeleted;
import dev.easel.contracts.clusters.ClusterFailed;
import dev.easel.contracts.clusters.ClusterNodeAdded;
import dev.easel.contracts.clusters.ClusterNodeRemoved;
import dev.easel.contracts.clusters.ClusterProfileAttached;
import dev.easel.contracts.clusters.ClusterProfileDetached;
import dev.easel.contracts.clusters.ClusterRecovered;
import dev.easel.contracts.clusters.ClusterRequested;
import dev.easel.contracts.clusters.ClusterRunning;
import dev.easel.contracts.clusters.ClusterStepFailed;
import dev.easel.contracts.clusters.ClusterStepStarted;
import dev.easel.contracts.clusters.ClusterStepSucceeded;
import dev.easel.contracts.compliance.BackupCompleted;
import dev.easel.contracts.compliance.BackupDiscovered;
import dev.easel.contracts.compliance.BackupFailed;
import dev.easel.contracts.compliance.BackupLocationAdded;
import dev.easel.contracts.compliance.BackupLocationChanged;
import dev.easel.contracts.compliance.BackupLocationHealthChanged;
import dev.easel.contracts.compliance.BackupLocationRemoved;
import dev.easel.contracts.compliance.BackupProgressed;
import dev.easel.contracts.compliance.BackupRemoved;
import dev.easel.contracts.compliance.BackupRequested;
import dev.easel.contracts.compliance.FeatureAvailable;
import dev.easel.contracts.compliance.FeatureEnabled;
import dev.easel.contracts.compliance.FeatureUnavailable;
import dev.easel.contracts.compliance.RestoreCompleted;
import dev.easel.contracts.compliance.RestoreFailed;
import dev.easel.contracts.compliance.RestoreProgressed;
import dev.easel.contracts.compliance.RestoreRequested;
import dev.easel.contracts.compliance.ScanCancelled;
import dev.easel.contracts.compliance.ScanCompleted;
import dev.easel.contracts.compliance.ScanFailed;
import dev.easel.contracts.compliance.ScanInitiated;
import dev.easel.contracts.compliance.ScanProgressed;
import dev.easel.contracts.gateway.OperatorRequestRecorded;
import dev.easel.contracts.nodes.CancelPlan;
import dev.easel.contracts.nodes.JoinCluster;
import dev.easel.contracts.nodes.LeaveCluster;
import dev.easel.contracts.nodes.NodeBecameUnreachable;
import dev.easel.contracts.nodes.NodeDecommissioned;
import dev.easel.contracts.nodes.NodeInventoryChanged;
import dev.easel.contracts.nodes.NodeJoinedCluster;
import dev.easel.contracts.nodes.NodeLabelsChanged;
import dev.easel.contracts.nodes.NodeLeftCluster;
import dev.easel.contracts.nodes.NodeRecovered;
import dev.easel.contracts.nodes.NodeRegistered;
import dev.easel.contracts.nodes.NodeReleased;
import dev.easel.contracts.nodes.NodeReserved;
import dev.easel.contracts.nodes.NodesReserved;
import dev.easel.contracts.nodes.PlanAccepted;
import dev.easel.contracts.nodes.PlanCancelled;
import dev.easel.contracts.nodes.PlanCompleted;
import dev.easel.contracts.nodes.PlanFailed;
import dev.easel.contracts.nodes.PlanFinished;
import dev.easel.contracts.nodes.PlanQueued;
import dev.easel.contracts.nodes.PlanStepArtifactStored;
import dev.easel.contracts.nodes.PlanStepFailed;
import dev.easel.contracts.nodes.PlanStepSucceeded;
import dev.easel.contracts.nodes.ReleaseNodes;
import dev.easel.contracts.nodes.ReserveNodes;
import dev.easel.contracts.nodes.RunPlan;
import dev.easel.contracts.packs.BundleUploaded;
import dev.easel.contracts.packs.PackAdded;
import dev.easel.contracts.packs.PackRemoved;
import dev.easel.contracts.packs.ProfilePublished;
import dev.easel.contracts.packs.ProfileVersionDeleted;
import dev.easel.contracts.packs.RegistryAdded;
import dev.easel.contracts.packs.RegistryHealthChanged;
import dev.easel.contracts.packs.RegistryRemoved;
import dev.easel.contracts.packs.RegistrySynced;
import dev.easel.contracts.saga.CommandFailed;
import dev.easel.contracts.saga.CommandSucceeded;
import dev.easel.contracts.saga.SagaCompensated;
import dev.easel.contracts.saga.SagaCompensating;
import dev.easel.contracts.saga.SagaCompleted;
import dev.easel.contracts.saga.SagaFailed;
import dev.easel.contracts.saga.SagaStarted;
import dev.easel.contracts.saga.SagaStepCompensated;
import dev.easel.contracts.saga.SagaStepCompleted;
import dev.easel.contracts.saga.SagaStepFailed;
import java.util.List;

/**
 * Every contract Easel ships. A new contract is added here, which puts it in the registry and in
 * the generated event catalogue ({@code docs/events.md}).
 */
public final class EaselContracts {

  public static final List<Class<?>> ALL =
      List.of(
          CommandSucceeded.class,
          CommandFailed.class,
          SagaStarted.class,
          SagaStepCompleted.class,
          SagaStepFailed.class,
          SagaCompensating.class,
          SagaStepCompensated.class,
          SagaCompleted.class,
          SagaCompensated.class,
          SagaFailed.class,
          NodeRegistered.class,
          NodeBecameUnreachable.class,
          NodeRecovered.class,
          NodeLabelsChanged.class,
          NodeDecommissioned.class,
          NodeInventoryChanged.class,
          ReserveNodes.class,
          ReleaseNodes.class,
          NodesReserved.class,
          NodeReserved.class,
          NodeReleased.class,
          RunPlan.class,
          JoinCluster.class,
          LeaveCluster.class,
          NodeJoinedCluster.class,
          NodeLeftCluster.class,
          CancelPlan.class,
          PlanAccepted.class,
          PlanFinished.class,
          PlanQueued.class,
          PlanStepSucceeded.class,
          PlanStepFailed.class,
          PlanStepArtifactStored.class,
          PlanCompleted.class,
          PlanFailed.class,
          PlanCancelled.class,
          RegistryAdded.class,
          RegistryRemoved.class,
          RegistryHealthChanged.class,
          RegistrySynced.class,
          PackAdded.class,
          PackRemoved.class,
          BundleUploaded.class,
          ProfilePublished.class,
          ProfileVersionDeleted.class,
          ClusterProfileAttached.class,
          ClusterProfileDetached.class,
          ClusterRequested.class,
          ClusterStepStarted.class,
          ClusterStepSucceeded.class,
          ClusterStepFailed.class,
          ClusterRunning.class,
          ClusterFailed.class,
          ClusterDegraded.class,
          ClusterRecovered.class,
          ClusterNodeAdded.class,
          ClusterNodeRemoved.class,
          ClusterDeleted.class,
          AuditCheckpointed.class,
          OperatorRequestRecorded.class,
          FeatureAvailable.class,
          FeatureUnavailable.class,
          FeatureEnabled.class,
          ScanInitiated.class,
          ScanProgressed.class,
          ScanCompleted.class,
          ScanFailed.class,
          ScanCancelled.class,
          BackupLocationAdded.class,
          BackupLocationChanged.class,
          BackupLocationRemoved.class,
          BackupLocationHealthChanged.class,
          BackupRequested.class,
          BackupProgressed.class,
          BackupCompleted.class,
          BackupFailed.class,
          BackupDiscovered.class,
          BackupRemoved.class,
          RestoreRequested.class,
          RestoreProgressed.class,
          RestoreCompleted.class,
          RestoreFailed.class);

  private EaselContracts() {}
}
