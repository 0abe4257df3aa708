package dev.mitra.ilmcode;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.ProjectState;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.cluster.metadata.ProjectId;
import org.elasticsearch.cluster.metadata.ProjectMetadata;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.Index;
import org.elasticsearch.xpack.core.ilm.AsyncActionStep;
import org.elasticsearch.xpack.core.ilm.AsyncWaitStep;
import org.elasticsearch.xpack.core.ilm.ClusterStateActionStep;
import org.elasticsearch.xpack.core.ilm.ClusterStateWaitStep;

/**
 * How ILM's steps are called in Elasticsearch 9: they act on one project's state. The state is an
 * Object in the signatures so that the common code compiles against both majors (see es8/).
 */
final class StepCalls {
  private StepCalls() {}

  static Object state(IndexMetadata index) {
    return ClusterState.builder(ClusterName.DEFAULT)
      .putProjectMetadata(ProjectMetadata.builder(ProjectId.DEFAULT).put(index, false))
      .build()
      .projectState(ProjectId.DEFAULT);
  }

  static IndexMetadata index(Object state, String name) {
    return ((ProjectState) state).metadata().index(name);
  }

  static Object act(ClusterStateActionStep step, Index index, Object state) {
    return step.performAction(index, (ProjectState) state);
  }

  static boolean conditionMet(ClusterStateWaitStep step, Index index, Object state) {
    return step.isConditionMet(index, (ProjectState) state).complete();
  }

  /** No observer: a step uses one only to wait for a running snapshot, and none runs here. */
  static void actAsync(AsyncActionStep step, IndexMetadata index, Object state, ActionListener<Void> listener) {
    step.performAction(index, (ProjectState) state, null, listener);
  }

  static void waitAsync(AsyncWaitStep step, IndexMetadata index, Object state, AsyncWaitStep.Listener listener) {
    step.evaluateCondition((ProjectState) state, index, listener, TimeValue.MAX_VALUE);
  }
}
