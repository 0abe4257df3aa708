package dev.mitra.ilmcode;

import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.Metadata;
import org.elasticsearch.xpack.core.ilm.InitializePolicyContextStep;

/** ILM's first step on an index, Elasticsearch 8: steps act on the cluster state. */
final class Initialize {
  private Initialize() {}

  /** The index as ILM leaves it after `step`. */
  static IndexMetadata after(InitializePolicyContextStep step, IndexMetadata index) {
    ClusterState state = ClusterState.builder(ClusterName.DEFAULT).metadata(Metadata.builder().put(index, false)).build();
    return step.performAction(index.getIndex(), state).metadata().index(index.getIndex().getName());
  }
}
