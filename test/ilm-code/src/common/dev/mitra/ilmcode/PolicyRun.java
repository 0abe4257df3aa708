package dev.mitra.ilmcode;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.admin.indices.delete.DeleteIndexRequest;
import org.elasticsearch.action.support.master.AcknowledgedResponse;
import org.elasticsearch.client.internal.AdminClient;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.Strings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.protocol.xpack.XPackInfoResponse.FeatureSetsInfo.FeatureSet;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xpack.core.action.XPackInfoFeatureResponse;
import org.elasticsearch.xpack.core.ilm.AsyncActionStep;
import org.elasticsearch.xpack.core.ilm.AsyncWaitStep;
import org.elasticsearch.xpack.core.ilm.ClusterStateActionStep;
import org.elasticsearch.xpack.core.ilm.ClusterStateWaitStep;
import org.elasticsearch.xpack.core.ilm.LifecyclePolicy;
import org.elasticsearch.xpack.core.ilm.Phase;
import org.elasticsearch.xpack.core.ilm.PhaseCompleteStep;
import org.elasticsearch.xpack.core.ilm.Step;
import org.elasticsearch.xpack.core.ilm.Step.StepKey;
import org.elasticsearch.xpack.core.ilm.TerminalPolicyStep;

/**
 * A policy's own steps (x-pack-core: InitializePolicyContextStep, the phase steps, DeleteAction's
 * WaitForNoFollowersStep, CleanupSnapshotStep and DeleteStep) run on one index in the order ILM runs
 * them, with the client they are built with recording what they send.
 *
 * What is not ILM's code here is what moves an index from step to step, which lives in the ILM module
 * (x-pack/plugin/ilm/src/main/java/org/elasticsearch/xpack/ilm/, not served by any registry): the
 * loop below follows each step's next-step key, and two checks are written after that module's source:
 * an index is managed when it names a policy (IndexLifecycleService, via IndexMetadata's own
 * getLifecyclePolicyName), and a phase starts once the index is old enough for it (readyForPhase).
 */
final class PolicyRun {
  private PolicyRun() {}

  /** The step keys run, the requests the steps sent (action name and indices), and how the run ended. */
  record Outcome(List<String> steps, List<String> requests, String end) {}

  static Outcome run(LifecyclePolicy policy, IndexMetadata created, long now) {
    List<String> ran = new ArrayList<>();
    List<String> requests = new ArrayList<>();
    if (Strings.hasText(created.getLifecyclePolicyName()) == false) return new Outcome(ran, requests, "not managed");
    List<Step> steps = policy.toSteps(recordingClient(requests), null);
    Map<StepKey, Step> byKey = steps.stream().collect(Collectors.toMap(Step::getKey, Function.identity()));
    String name = created.getIndex().getName();
    Object state = StepCalls.state(created);
    for (Step step = steps.get(0); step != null; step = byKey.get(step.getNextStepKey())) {
      ran.add(key(step.getKey()));
      IndexMetadata index = StepCalls.index(state, name);
      if (step instanceof TerminalPolicyStep) return new Outcome(ran, requests, "complete");
      if (step instanceof PhaseCompleteStep) {
        if (step.getNextStepKey() == null) return new Outcome(ran, requests, "complete");
        Phase next = policy.getPhases().get(step.getNextStepKey().phase());
        if (readyForPhase(index, next, now) == false) return new Outcome(ran, requests, "waiting for the " + next.getName() + " phase");
      } else if (step instanceof ClusterStateActionStep action) {
        state = StepCalls.act(action, index.getIndex(), state);
      } else if (step instanceof ClusterStateWaitStep wait) {
        if (StepCalls.conditionMet(wait, index.getIndex(), state) == false) return new Outcome(ran, requests, "waiting at " + key(step.getKey()));
      } else if (step instanceof AsyncWaitStep wait) {
        Answer answer = new Answer();
        StepCalls.waitAsync(wait, index, state, answer);
        if (answer.failure != null) return new Outcome(ran, requests, "error at " + key(step.getKey()) + ": " + answer.failure.getMessage());
        if (answer.met == false) return new Outcome(ran, requests, "waiting at " + key(step.getKey()));
      } else if (step instanceof AsyncActionStep action) {
        Answer answer = new Answer();
        StepCalls.actAsync(action, index, state, ActionListener.wrap(ignored -> answer.met = true, e -> answer.failure = e));
        if (answer.failure != null) return new Outcome(ran, requests, "error at " + key(step.getKey()) + ": " + answer.failure.getMessage());
        if (answer.met == false) return new Outcome(ran, requests, "no answer at " + key(step.getKey()));
        if (action.indexSurvives() == false) return new Outcome(ran, requests, "deleted");
      } else {
        return new Outcome(ran, requests, "unknown step kind " + step.getClass().getName());
      }
    }
    return new Outcome(ran, requests, "no next step after " + ran.get(ran.size() - 1));
  }

  /**
   * IndexLifecycleRunner.isReadyToTransitionToThisPhase with calculateOriginationMillis
   * (x-pack/plugin/ilm/src/main/java/org/elasticsearch/xpack/ilm/IndexLifecycleRunner.java, read at
   * commit 00203b9): a phase starts once now ≥ origination + the phase's min_age, where origination is
   * index.lifecycle.origination_date when set and the lifecycle date otherwise; with neither, at once.
   */
  static boolean readyForPhase(IndexMetadata index, Phase phase, long now) {
    Long lifecycleDate = index.getLifecycleExecutionState().lifecycleDate();
    long originationDate = index.getSettings().getAsLong(IndexSettings.LIFECYCLE_ORIGINATION_DATE, -1L);
    if (lifecycleDate == null && originationDate == -1L) return true;
    long from = originationDate == -1L ? lifecycleDate : originationDate;
    return now >= from + phase.getMinimumAge().millis();
  }

  private static String key(StepKey key) {
    return key.phase() + "/" + key.action() + "/" + key.name();
  }

  private static final class Answer implements AsyncWaitStep.Listener {
    boolean met;
    Exception failure;

    @Override
    public void onResponse(boolean conditionMet, ToXContentObject info) {
      met = conditionMet;
    }

    @Override
    public void onFailure(Exception e) {
      failure = e;
    }
  }

  /**
   * The client the steps are built with: it answers at once and records each request. A delete is
   * acknowledged; the CCR feature question (WaitForNoFollowersStep's first) is answered as a cluster
   * with CCR disabled, so the step needs no shard statistics; anything else fails the step, so a new
   * request shows up as an error in the outcome instead of a guessed answer.
   */
  private static Client recordingClient(List<String> requests) {
    Client[] self = new Client[1];
    self[0] = (Client) Proxy.newProxyInstance(PolicyRun.class.getClassLoader(), clientInterfaces(), (proxy, method, args) -> {
      switch (method.getName()) {
        case "admin":
          return new AdminClient(self[0]);
        case "projectClient":
          return self[0];
        case "settings":
          return Settings.EMPTY;
        case "toString":
          return "recording client";
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        case "execute":
          if (args.length == 3) {
            answer((ActionType<?>) args[0], args[1], (ActionListener<?>) args[2], requests);
            return null;
          }
          break;
        default:
          break;
      }
      throw new UnsupportedOperationException("the steps called Client." + method.getName() + ", which is not answered here");
    });
    return self[0];
  }

  /** Client, and in 9 the ProjectClient a step asks for (Client.projectClient), which 8 does not have. */
  private static Class<?>[] clientInterfaces() {
    try {
      return new Class<?>[] { Client.class, Class.forName("org.elasticsearch.client.internal.ProjectClient") };
    } catch (ClassNotFoundException e) {
      return new Class<?>[] { Client.class };
    }
  }

  @SuppressWarnings({ "unchecked", "rawtypes" })
  private static void answer(ActionType<?> action, Object request, ActionListener listener, List<String> requests) {
    if (request instanceof DeleteIndexRequest delete) {
      requests.add(action.name() + " " + String.join(",", delete.indices()));
      listener.onResponse(AcknowledgedResponse.TRUE);
    } else if (action.name().endsWith("/info/ccr")) {
      requests.add(action.name());
      listener.onResponse(new XPackInfoFeatureResponse(new FeatureSet("ccr", true, false)));
    } else {
      requests.add(action.name());
      listener.onFailure(new UnsupportedOperationException("request " + action.name() + " is not answered here"));
    }
  }
}
