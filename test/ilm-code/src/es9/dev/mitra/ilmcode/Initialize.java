package dev.mitra.ilmcode;

import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.ProjectState;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.ProjectId;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.xpack.core.ilm.InitializePolicyContextStep;

/** ILM's first step on an index, Elasticsearch 9: steps act on one project's state. */
final class Initialize {
  private Initialize() {}

  /** The index as ILM leaves it after `step`. */
  static IndexMetadata after(InitializePolicyContextStep step, IndexMetadata index) {
    ProjectState state = ClusterState.builder(ClusterName.DEFAULT)
      .putProjectMetadata(ProjectMetadata.builder(ProjectId.DEFAULT).put(index, false))
      .build()
      .projectState(ProjectId.DEFAULT);
    return step.performAction(index.getIndex(), state).metadata().index(index.getIndex().getName());
  }
}
